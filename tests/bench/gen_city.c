/*
 * gen_city — deterministic synthetic city data for the citykg benchmarks.
 *
 * Usage: gen_city TRIPLES [SEED] > city.nq
 *   TRIPLES  target number of quads (suffix k or M allowed: 1M, 10M); the
 *            output has TRIPLES - 5 .. TRIPLES quads (more only when TRIPLES is
 *            below the fixed part, about 250 quads).
 *   SEED     PRNG seed (default 20240601). Same arguments -> same bytes.
 *
 * Writes N-Quads to stdout, spread over five named graphs:
 *   https://city.example/graph/districts     12 districts of Regensburg, polygons
 *   https://city.example/graph/buildings     ~45 % of the quads: buildings with
 *                                            German labels, height, storeys, year,
 *                                            energy demand, heritage flag,
 *                                            footprint (WKT, EPSG:25832) and a
 *                                            blank-node address
 *   https://city.example/graph/sensors       sosa:Sensor with location
 *   https://city.example/graph/catalog       DCAT-AP.de catalog, datasets with
 *                                            blank-node distributions
 *   https://city.example/graph/observations  sosa:Observation, fills the rest
 *
 * The PRNG is splitmix64 (no rand()), coordinates come from integer arithmetic
 * and a fixed table of rotations (no libm), so the output is byte-identical on
 * every run and every machine. Build: cc -O2 -Wall -Wextra -Werror -o gen_city gen_city.c
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- vocabulary ------------------------------------------------------- */
#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
#define GEO "http://www.opengis.net/ont/geosparql#"
#define SF "http://www.opengis.net/ont/sf#"
#define SOSA "http://www.w3.org/ns/sosa/"
#define DCAT "http://www.w3.org/ns/dcat#"
#define DCT "http://purl.org/dc/terms/"
#define FOAF "http://xmlns.com/foaf/0.1/"
#define VCARD "http://www.w3.org/2006/vcard/ns#"
#define CKG "https://w3id.org/citykg/ontology#"
#define ID "https://regensburg.example/id/"
#define GRAPH "https://city.example/graph/"
#define CRS "<http://www.opengis.net/def/crs/EPSG/0/25832> "

#define G_DISTRICTS "<" GRAPH "districts>"
#define G_BUILDINGS "<" GRAPH "buildings>"
#define G_SENSORS "<" GRAPH "sensors>"
#define G_OBS "<" GRAPH "observations>"
#define G_CATALOG "<" GRAPH "catalog>"

/* ---- PRNG: splitmix64 ------------------------------------------------- */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform integer in [0, n) (n > 0; the tiny modulo bias does not matter) */
static uint64_t rng_below(uint64_t n) { return rng_next() % n; }

/* uniform integer in [lo, hi] */
static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)rng_below((uint64_t)(hi - lo + 1));
}

/* ---- output ------------------------------------------------------------ */
static uint64_t emitted;

#define Q(...)                    \
    do {                          \
        printf(__VA_ARGS__);      \
        emitted++;                \
    } while (0)

/* fixed-point value v / 10^dec as text, e.g. fx(123456, 2) -> "1234.56" */
static const char *fx(char *buf, size_t n, int64_t v, int dec)
{
    int64_t p = 1;
    for (int i = 0; i < dec; i++)
        p *= 10;
    const char *sign = v < 0 ? "-" : "";
    int64_t a = v < 0 ? -v : v;
    if (dec == 0)
        snprintf(buf, n, "%s%" PRId64, sign, a);
    else
        snprintf(buf, n, "%s%" PRId64 ".%0*" PRId64, sign, a / p, dec, a % p);
    return buf;
}

static void datetime(char *buf, size_t n, int64_t epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- districts: a 4 x 3 grid over the city, EPSG:25832 metres ----------- */
#define X0 720000
#define X1 735000
#define Y0 5428000
#define Y1 5440000
#define NDX 4
#define NDY 3
#define NDIST (NDX * NDY)
#define CELL_W ((X1 - X0) / NDX) /* 3750 m */
#define CELL_H ((Y1 - Y0) / NDY) /* 4000 m */

static const struct {
    const char *slug, *name, *postcode;
    unsigned weight;   /* share of buildings */
    unsigned heritage; /* per mille listed; >= 250: medieval core */
} districts[NDIST] = {
    /* row 0 (south) */
    {"koenigswiesen", "Großprüfening-Dechbetten-Königswiesen", "93051", 9, 30},
    {"kumpfmuehl", "Kumpfmühl-Ziegetsdorf-Neuprüll", "93051", 11, 40},
    {"galgenberg", "Galgenberg", "93053", 7, 15},
    {"kasernenviertel", "Kasernenviertel", "93053", 10, 20},
    /* row 1: the old town in the middle */
    {"westenviertel", "Westenviertel", "93049", 10, 60},
    {"innenstadt", "Innenstadt", "93047", 14, 300},
    {"ostenviertel", "Ostenviertel", "93055", 9, 50},
    {"reinhausen", "Reinhausen", "93059", 6, 30},
    /* row 2 (north of the Danube) */
    {"steinweg-pfaffenstein", "Steinweg-Pfaffenstein", "93059", 7, 40},
    {"stadtamhof", "Stadtamhof", "93059", 4, 250},
    {"konradsiedlung-wutzlhofen", "Konradsiedlung-Wutzlhofen", "93057", 9, 10},
    {"sallern-gallingkofen", "Sallern-Gallingkofen", "93057", 8, 20},
};

static unsigned weight_total;

static void cell_of(int d, int *x, int *y)
{
    *x = X0 + (d % NDX) * CELL_W;
    *y = Y0 + (d / NDX) * CELL_H;
}

static int pick_district(void)
{
    unsigned r = (unsigned)rng_below(weight_total);
    for (int d = 0; d < NDIST; d++) {
        if (r < districts[d].weight)
            return d;
        r -= districts[d].weight;
    }
    return 0;
}

/* ---- word lists ---------------------------------------------------------- */
static const char *const streets[] = {
    "Hauptstraße", "Domplatz", "Goliathstraße", "Kumpfmühler Straße",
    "Prüfeninger Straße", "Ostengasse", "Gesandtenstraße", "Obermünsterstraße",
    "Brückstraße", "Am Römling", "Von-der-Tann-Straße", "Landshuter Straße",
    "Straubinger Straße", "Nußbergerstraße", "Dechbettener Straße",
    "Königsstraße", "Schäffnerstraße", "Grünes Gässchen", "Weißgerbergraben",
    "Fröhliche-Türken-Straße", "Hinter der Grieb", "Maximilianstraße",
    "Galgenbergstraße", "Süßenbrunner Weg", "Lößweg", "Drei-Mohren-Straße",
};
#define NSTREETS (sizeof streets / sizeof streets[0])

static const struct {
    const char *label, *slug;
} usages[] = {
    {"Wohnhaus", "Residential"},     {"Mehrfamilienhaus", "Residential"},
    {"Bürogebäude", "Office"},       {"Geschäftshaus", "Commercial"},
    {"Schule", "Education"},         {"Gaststätte", "Hospitality"},
    {"Lagerhalle", "Industrial"},    {"Bürgerhaus", "Residential"},
    {"Kirche", "Religious"},         {"Turnhalle", "Sports"},
};
#define NUSAGES (sizeof usages / sizeof usages[0])

/* names with quotes: N-Quads needs \" inside the literal */
static const char *const inn_names[] = {
    "Zum Goldenen Kreuz", "Zur Höll", "Weißes Lamm", "Drei Kronen",
    "Zum Fröhlichen Türken", "Bischofshof",
};
#define NINN (sizeof inn_names / sizeof inn_names[0])

/* rotations as (cos, sin) * 10000, fixed so no libm is needed */
static const int rot[][2] = {
    {10000, 0},     {9962, 872},    {9848, 1736},  {9659, 2588},
    {9397, 3420},   {9063, 4226},   {8660, 5000},  {8192, 5736},
    {7660, 6428},   {7071, 7071},   {9962, -872},  {9848, -1736},
    {9659, -2588},  {9397, -3420},  {8660, -5000}, {7071, -7071},
};
#define NROT (sizeof rot / sizeof rot[0])

static const struct {
    const char *slug, *label, *unit;
    int lo, hi; /* result range * 10 */
} props[] = {
    {"NO2Concentration", "Stickstoffdioxid-Konzentration", "µg/m³", 50, 950},
    {"PM10Concentration", "Feinstaub PM10", "µg/m³", 20, 800},
    {"AirTemperature", "Lufttemperatur", "°C", -150, 380},
    {"TrafficCount", "Verkehrsstärke", "Fahrzeuge/h", 0, 24000},
    {"NoiseLevel", "Lärmpegel", "dB(A)", 350, 850},
};
#define NPROPS (sizeof props / sizeof props[0])

static const struct {
    const char *slug, *name;
} orgs[] = {
    {"stadtentwicklung", "Amt für Stadtentwicklung"},
    {"tiefbauamt", "Tiefbauamt"},
    {"umweltamt", "Umwelt- und Rechtsamt"},
    {"denkmalpflege", "Amt für Archiv und Denkmalpflege"},
    {"vermessungsamt", "Amt für Vermessung und Geoinformation"},
    {"stadtwerke", "Stadtwerke Regensburg GmbH – Energie & Mobilität"},
};
#define NORGS (sizeof orgs / sizeof orgs[0])

static const struct {
    const char *topic, *keyword, *theme, *format, *ext;
} topics[] = {
    {"Gebäudebestand", "Gebäude", "REGI", "GEOJSON", "geojson"},
    {"Straßennetz", "Straßen", "TRAN", "GPKG", "gpkg"},
    {"Luftqualitätsmessungen", "Luftqualität", "ENVI", "CSV", "csv"},
    {"Baudenkmäler", "Denkmalschutz", "EDUC", "SHP", "zip"},
    {"Verkehrszählungen", "Verkehr", "TRAN", "CSV", "csv"},
    {"Wärmebedarf", "Energie", "ENER", "JSON", "json"},
    {"Bebauungspläne", "Bauleitplanung", "REGI", "PDF", "pdf"},
    {"Grünflächen und Bäume", "Stadtgrün", "ENVI", "GEOJSON", "geojson"},
};
#define NTOPICS (sizeof topics / sizeof topics[0])

/* ---- emitters ------------------------------------------------------------ */

static void emit_districts(void)
{
    for (int d = 0; d < NDIST; d++) {
        int x, y;
        cell_of(d, &x, &y);
        const char *s = districts[d].slug;
        Q("<" ID "district/%s> <" RDF "type> <" CKG "District> " G_DISTRICTS " .\n", s);
        Q("<" ID "district/%s> <" RDFS "label> \"%s\"@de " G_DISTRICTS " .\n", s,
          districts[d].name);
        Q("<" ID "district/%s> <" CKG "districtNumber> \"%d\"^^<" XSD "integer> " G_DISTRICTS " .\n",
          s, d + 1);
        Q("<" ID "district/%s> <" GEO "hasGeometry> <" ID "geometry/district-%s> " G_DISTRICTS " .\n",
          s, s);
        Q("<" ID "geometry/district-%s> <" RDF "type> <" SF "Polygon> " G_DISTRICTS " .\n", s);
        Q("<" ID "geometry/district-%s> <" GEO "asWKT> \"" CRS
          "POLYGON((%d %d, %d %d, %d %d, %d %d, %d %d))\"^^<" GEO "wktLiteral> " G_DISTRICTS " .\n",
          s, x, y, x + CELL_W, y, x + CELL_W, y + CELL_H, x, y + CELL_H, x, y);
    }
}

/* footprint: rectangle or L shape of w x h decimetres, rotated, centred at
 * (cx, cy) decimetres; vertices listed counter-clockwise */
static void footprint(char *buf, size_t n, int64_t cx, int64_t cy, int w, int h, int lshape)
{
    static const int rect[][2] = {{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}};
    static const int lsh[][2] = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}};
    const int(*pts)[2] = lshape ? lsh : rect;
    int np = lshape ? 7 : 5;
    const int *r = rot[rng_below(NROT)];
    size_t off = (size_t)snprintf(buf, n, CRS "POLYGON((");
    for (int i = 0; i < np && off < n; i++) {
        /* local coordinates relative to the centre, decimetres */
        int64_t lx = (int64_t)(pts[i][0] - 1) * w / 2;
        int64_t ly = (int64_t)(pts[i][1] - 1) * h / 2;
        int64_t gx = cx * 10 + (lx * r[0] - ly * r[1]) / 1000; /* centimetres */
        int64_t gy = cy * 10 + (lx * r[1] + ly * r[0]) / 1000;
        char a[32], b[32];
        off += (size_t)snprintf(buf + off, n - off, "%s%s %s", i ? ", " : "",
                                fx(a, sizeof a, gx, 2), fx(b, sizeof b, gy, 2));
    }
    if (off < n)
        snprintf(buf + off, n - off, "))");
}

static void emit_building(uint64_t i)
{
    int d = pick_district();
    int x, y;
    cell_of(d, &x, &y);
    /* centre in decimetres, 40 m away from the district border */
    int64_t cx = (int64_t)rng_range((int64_t)x * 10 + 400, (int64_t)(x + CELL_W) * 10 - 400);
    int64_t cy = (int64_t)rng_range((int64_t)y * 10 + 400, (int64_t)(y + CELL_H) * 10 - 400);
    unsigned u = (unsigned)rng_below(NUSAGES);
    const char *street = streets[rng_below(NSTREETS)];
    int number = (int)rng_range(1, 120);
    int storeys = (int)rng_range(1, u == 2 ? 9 : 5);
    int height_cm = storeys * (int)rng_range(280, 360) + (int)rng_range(0, 450);
    int year = (int)(districts[d].heritage >= 250 ? rng_range(1150, 1900) : rng_range(1860, 2023));
    int heritage = rng_below(1000) < districts[d].heritage || year < 1800;
    int w = (int)rng_range(80, 400), h = (int)rng_range(80, 300); /* decimetres */
    int lshape = rng_below(5) == 0;
    /* kWh/a ~ floor area * storeys * specific demand */
    int64_t demand = (int64_t)w * h / 100 * storeys * rng_range(60, 260);
    char b[96], hs[32], wkt[512];

    const char *G = G_BUILDINGS;
    Q("<" ID "building/%" PRIu64 "> <" RDF "type> <" CKG "Building> %s .\n", i, G);
    if (u == 5 && rng_below(3) == 0) /* an inn with a quoted name */
        snprintf(b, sizeof b, "Gasthaus \\\"%s\\\", %s %d", inn_names[rng_below(NINN)], street,
                 number);
    else
        snprintf(b, sizeof b, "%s %s %d", usages[u].label, street, number);
    Q("<" ID "building/%" PRIu64 "> <" RDFS "label> \"%s\"@de %s .\n", i, b, G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "usage> <" CKG "Usage%s> %s .\n", i, usages[u].slug, G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "height> \"%s\"^^<" XSD "decimal> %s .\n", i,
      fx(hs, sizeof hs, height_cm, 2), G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "storeys> \"%d\"^^<" XSD "integer> %s .\n", i, storeys,
      G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "yearOfConstruction> \"%04d\"^^<" XSD "gYear> %s .\n", i,
      year, G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "inDistrict> <" ID "district/%s> %s .\n", i,
      districts[d].slug, G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "annualEnergyDemand> \"%" PRId64 ".0E0\"^^<" XSD
      "double> %s .\n",
      i, demand, G);
    Q("<" ID "building/%" PRIu64 "> <" CKG "isHeritage> \"%s\"^^<" XSD "boolean> %s .\n", i,
      heritage ? "true" : "false", G);
    Q("<" ID "building/%" PRIu64 "> <" GEO "hasGeometry> <" ID "geometry/building-%" PRIu64
      "> %s .\n",
      i, i, G);
    Q("<" ID "geometry/building-%" PRIu64 "> <" RDF "type> <" SF "Polygon> %s .\n", i, G);
    footprint(wkt, sizeof wkt, cx, cy, w, h, lshape);
    Q("<" ID "geometry/building-%" PRIu64 "> <" GEO "asWKT> \"%s\"^^<" GEO "wktLiteral> %s .\n", i,
      wkt, G);
    /* address as a blank node */
    Q("<" ID "building/%" PRIu64 "> <" CKG "address> _:addr%" PRIu64 " %s .\n", i, i, G);
    Q("_:addr%" PRIu64 " <" RDF "type> <" VCARD "Address> %s .\n", i, G);
    Q("_:addr%" PRIu64 " <" VCARD "street-address> \"%s %d\" %s .\n", i, street, number, G);
    Q("_:addr%" PRIu64 " <" VCARD "postal-code> \"%s\" %s .\n", i, districts[d].postcode, G);
}
#define BUILDING_QUADS 16

static void emit_props(void)
{
    for (unsigned p = 0; p < NPROPS; p++) {
        Q("<" CKG "%s> <" RDF "type> <" SOSA "ObservableProperty> " G_SENSORS " .\n", props[p].slug);
        Q("<" CKG "%s> <" RDFS "label> \"%s\"@de " G_SENSORS " .\n", props[p].slug, props[p].label);
        Q("<" CKG "%s> <" CKG "unitLabel> \"%s\" " G_SENSORS " .\n", props[p].slug, props[p].unit);
    }
}

static unsigned sensor_prop(uint64_t s) { return (unsigned)(s % NPROPS); }
static int sensor_district(uint64_t s) { return (int)((s * 7) % NDIST); }

static void emit_sensor(uint64_t s)
{
    int d = sensor_district(s);
    int x, y;
    cell_of(d, &x, &y);
    char a[32], b[32];
    const char *G = G_SENSORS;
    static const char *const kinds[NPROPS] = {"Luftqualitätssensor", "Feinstaubsensor",
                                               "Temperaturfühler", "Zählschleife",
                                               "Lärmmessstation"};
    Q("<" ID "sensor/%" PRIu64 "> <" RDF "type> <" SOSA "Sensor> %s .\n", s, G);
    Q("<" ID "sensor/%" PRIu64 "> <" RDFS "label> \"%s %" PRIu64 " (%s)\"@de %s .\n", s,
      kinds[sensor_prop(s)], s, districts[d].name, G);
    Q("<" ID "sensor/%" PRIu64 "> <" SOSA "observes> <" CKG "%s> %s .\n", s,
      props[sensor_prop(s)].slug, G);
    Q("<" ID "sensor/%" PRIu64 "> <" CKG "inDistrict> <" ID "district/%s> %s .\n", s,
      districts[d].slug, G);
    Q("<" ID "sensor/%" PRIu64 "> <" GEO "hasGeometry> <" ID "geometry/sensor-%" PRIu64 "> %s .\n",
      s, s, G);
    Q("<" ID "geometry/sensor-%" PRIu64 "> <" RDF "type> <" SF "Point> %s .\n", s, G);
    Q("<" ID "geometry/sensor-%" PRIu64 "> <" GEO "asWKT> \"" CRS "POINT(%s %s)\"^^<" GEO
      "wktLiteral> %s .\n",
      s, fx(a, sizeof a, rng_range((int64_t)x * 100 + 5000, (int64_t)(x + CELL_W) * 100 - 5000), 2),
      fx(b, sizeof b, rng_range((int64_t)y * 100 + 5000, (int64_t)(y + CELL_H) * 100 - 5000), 2), G);
}
#define SENSOR_QUADS 7

static void emit_catalog_head(uint64_t ndatasets)
{
    const char *G = G_CATALOG;
    for (unsigned o = 0; o < NORGS; o++) {
        Q("<" ID "org/%s> <" RDF "type> <" FOAF "Organization> %s .\n", orgs[o].slug, G);
        Q("<" ID "org/%s> <" FOAF "name> \"%s\"@de %s .\n", orgs[o].slug, orgs[o].name, G);
    }
    Q("<" ID "catalog> <" RDF "type> <" DCAT "Catalog> %s .\n", G);
    Q("<" ID "catalog> <" DCT "title> \"Datenkatalog der Stadt Regensburg\"@de %s .\n", G);
    Q("<" ID "catalog> <" DCT "publisher> <" ID "org/stadtentwicklung> %s .\n", G);
    (void)ndatasets;
}

static void emit_dataset(uint64_t k)
{
    const char *G = G_CATALOG;
    unsigned t = (unsigned)rng_below(NTOPICS);
    int d = (int)rng_below(NDIST);
    unsigned o = (unsigned)rng_below(NORGS);
    int year = (int)rng_range(2015, 2024);
    char when[32];
    /* modified between 2019-01-01 and 2024-12-31 */
    datetime(when, sizeof when, 1546300800 + rng_range(0, 6 * 365 * 86400));

    Q("<" ID "catalog> <" DCAT "dataset> <" ID "dataset/%" PRIu64 "> %s .\n", k, G);
    Q("<" ID "dataset/%" PRIu64 "> <" RDF "type> <" DCAT "Dataset> %s .\n", k, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCT "title> \"%s %s %d\"@de %s .\n", k, topics[t].topic,
      districts[d].name, year, G);
    /* description with an escaped quote, a \u escape (ü) and an escaped newline */
    Q("<" ID "dataset/%" PRIu64 "> <" DCT "description> \"%s f\\u00FCr den Stadtteil \\\"%s\\\" "
      "(Stand %d).\\nQuelle: %s.\"@de %s .\n",
      k, topics[t].topic, districts[d].name, year, orgs[o].name, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCT "publisher> <" ID "org/%s> %s .\n", k, orgs[o].slug, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCT "modified> \"%s\"^^<" XSD "dateTime> %s .\n", k, when, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCAT "keyword> \"%s\"@de %s .\n", k, topics[t].keyword, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCAT "theme> "
      "<http://publications.europa.eu/resource/authority/data-theme/%s> %s .\n",
      k, topics[t].theme, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCT "spatial> <" ID "district/%s> %s .\n", k,
      districts[d].slug, G);
    Q("<" ID "dataset/%" PRIu64 "> <" DCAT "distribution> _:dist%" PRIu64 " %s .\n", k, k, G);
    Q("_:dist%" PRIu64 " <" RDF "type> <" DCAT "Distribution> %s .\n", k, G);
    Q("_:dist%" PRIu64 " <" DCAT "accessURL> <https://regensburg.example/download/dataset-%" PRIu64
      ".%s> %s .\n",
      k, k, topics[t].ext, G);
    Q("_:dist%" PRIu64 " <" DCT "format> "
      "<http://publications.europa.eu/resource/authority/file-type/%s> %s .\n",
      k, topics[t].format, G);
    Q("_:dist%" PRIu64 " <" DCT "license> <http://dcat-ap.de/def/licenses/dl-by-de/2.0> %s .\n", k,
      G);
}
#define DATASET_QUADS 14

static void emit_observation(uint64_t i, uint64_t nsensors)
{
    uint64_t s = i % nsensors;
    uint64_t step = i / nsensors;
    unsigned p = sensor_prop(s);
    char v[32], when[32];
    /* every sensor reports every 15 minutes from 2024-01-01T00:00:00Z */
    datetime(when, sizeof when, 1704067200 + (int64_t)step * 900);
    fx(v, sizeof v, rng_range(props[p].lo, props[p].hi), 1);
    const char *G = G_OBS;
    Q("<" ID "observation/%" PRIu64 "> <" RDF "type> <" SOSA "Observation> %s .\n", i, G);
    Q("<" ID "observation/%" PRIu64 "> <" SOSA "madeBySensor> <" ID "sensor/%" PRIu64 "> %s .\n", i,
      s, G);
    Q("<" ID "observation/%" PRIu64 "> <" SOSA "observedProperty> <" CKG "%s> %s .\n", i,
      props[p].slug, G);
    Q("<" ID "observation/%" PRIu64 "> <" SOSA "hasFeatureOfInterest> <" ID "district/%s> %s .\n", i,
      districts[sensor_district(s)].slug, G);
    Q("<" ID "observation/%" PRIu64 "> <" SOSA "hasSimpleResult> \"%s\"^^<" XSD "double> %s .\n", i,
      v, G);
    Q("<" ID "observation/%" PRIu64 "> <" SOSA "resultTime> \"%s\"^^<" XSD "dateTime> %s .\n", i,
      when, G);
}
#define OBS_QUADS 6

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return -1;
    if (*end == 'k' || *end == 'K')
        v *= 1000ULL, end++;
    else if (*end == 'm' || *end == 'M')
        v *= 1000000ULL, end++;
    if (*end != '\0' || v == 0 || v > 10000000000ULL)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t target, seed = 20240601;
    if (argc < 2 || argc > 3 || parse_count(argv[1], &target) != 0 ||
        (argc == 3 && parse_count(argv[2], &seed) != 0)) {
        fprintf(stderr,
                "usage: %s TRIPLES [SEED]  (TRIPLES: 1 .. 10000000000, suffix k or M allowed)\n"
                "writes synthetic Regensburg city data as N-Quads to stdout\n",
                argv[0]);
        return 2;
    }
    rng_state = seed;
    static char obuf[1 << 20];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    for (int d = 0; d < NDIST; d++)
        weight_total += districts[d].weight;

    uint64_t nbuild = target * 45 / 100 / BUILDING_QUADS;
    uint64_t nsensors = target / 20000 > 20 ? target / 20000 : 20;
    uint64_t ndatasets = target / 10000 > 20 ? target / 10000 : 20;

    emit_districts();
    emit_props();
    emit_catalog_head(ndatasets);
    for (uint64_t k = 0; k < ndatasets; k++)
        emit_dataset(k);
    for (uint64_t s = 0; s < nsensors; s++)
        emit_sensor(s);
    for (uint64_t i = 0; i < nbuild; i++)
        emit_building(i);
    for (uint64_t i = 0; emitted + OBS_QUADS <= target; i++)
        emit_observation(i, nsensors);

    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gen_city: write error: %s\n", strerror(errno));
        return 1;
    }
    fprintf(stderr, "gen_city: %" PRIu64 " quads (target %" PRIu64 ", seed %" PRIu64 ")\n",
            emitted, target, seed);
    return 0;
}
