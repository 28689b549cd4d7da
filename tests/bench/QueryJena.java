// Query benchmark runner for Apache Jena TDB2: one JVM opens the TDB2 store
// and runs every query WARMUP + REPEAT times (JIT warm-up happens in the
// warm-up runs). A run parses the query, executes it in a read transaction
// with the union of the named graphs as the default graph
// (tdb2:unionDefaultGraph) and writes the results as SPARQL JSON to a null
// stream (as citykg's runs write JSON to /dev/null), timed with nanoTime.
//
// Usage: java -cp <shim>:<jena jars>:<dir of this class> QueryJena --loc DIR
//          --out DIR [--warmup W] [--repeat R] [--budget SECONDS] -- QUERY.rq...
// Prints per query "<name>\tok\t<ms>,<ms>,..." (timed runs only) or
// "<name>\terror\t<message>"; the last run's results go to DIR/<name>.json.
// Budget: as in query_oxigraph.mjs. A run longer than 10 x SECONDS is
// cancelled (query timeout) and reported as an error.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;

public final class QueryJena {
    private static long timeoutMs;

    private static double run(Dataset ds, String text, OutputStream out) {
        long t0 = System.nanoTime();
        Txn.executeRead(ds, () -> {
            try (QueryExecution qe = QueryExecution.dataset(ds).query(text)
                    .set(TDB2.symUnionDefaultGraph, true)
                    .timeout(timeoutMs, TimeUnit.MILLISECONDS).build()) {
                ResultSet rs = qe.execSelect();
                ResultSetFormatter.outputAsJSON(out, rs);
            }
        });
        return (System.nanoTime() - t0) / 1e6;
    }

    public static void main(String[] args) throws IOException {
        String loc = null, outDir = null;
        int warmup = 2, repeat = 7;
        double budget = 120;
        List<String> queries = new ArrayList<>();
        boolean inQueries = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (inQueries) queries.add(a);
            else if (a.equals("--")) inQueries = true;
            else if (a.equals("--loc")) loc = args[++i];
            else if (a.equals("--out")) outDir = args[++i];
            else if (a.equals("--warmup")) warmup = Math.max(1, Integer.parseInt(args[++i]));
            else if (a.equals("--repeat")) repeat = Math.max(1, Integer.parseInt(args[++i]));
            else if (a.equals("--budget")) budget = Double.parseDouble(args[++i]);
            else throw new IllegalArgumentException("unknown argument " + a);
        }
        if (loc == null || outDir == null || queries.isEmpty()) {
            System.err.println("usage: QueryJena --loc DIR --out DIR [--warmup W] [--repeat R] [--budget S] -- QUERY.rq...");
            System.exit(2);
        }
        timeoutMs = (long) (budget * 10 * 1000);
        Files.createDirectories(Paths.get(outDir));
        Dataset ds = TDB2Factory.connectDataset(loc);
        OutputStream sink = OutputStream.nullOutputStream();
        for (String q : queries) {
            Path qp = Paths.get(q);
            String name = qp.getFileName().toString().replaceFirst("\\.rq$", "");
            String text = Files.readString(qp, StandardCharsets.UTF_8);
            try {
                double first = run(ds, text, sink);
                int warm = warmup - 1, timed = repeat;
                if (first * (warm + timed) > budget * 1000) {
                    warm = 0;
                    timed = (int) Math.max(1, Math.min(repeat, Math.floor(budget * 1000 / first)));
                }
                for (int i = 0; i < warm; i++) run(ds, text, sink);
                StringBuilder times = new StringBuilder();
                for (int i = 0; i < timed; i++) {
                    OutputStream out = i + 1 == timed ? new ByteArrayOutputStream() : sink;
                    double ms = run(ds, text, out);
                    if (i > 0) times.append(',');
                    times.append(String.format("%.3f", ms));
                    if (out != sink)
                        Files.write(Paths.get(outDir, name + ".json"), ((ByteArrayOutputStream) out).toByteArray());
                }
                System.out.println(name + "\tok\t" + times);
            } catch (RuntimeException e) {
                String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
                System.out.println(name + "\terror\t" + e.getClass().getSimpleName() + ": "
                        + msg.substring(0, Math.min(msg.length(), 200)));
            }
            System.out.flush();
        }
        ds.close();
    }
}
