// vocab.mjs — what the differential test knows about the synthetic city data
// written by tests/bench/gen_city.c: prefixes, classes, properties with the
// kind and range of their values, the reverse edges between entity types, and
// the population of each type for a given data size (the same formulas as
// gen_city's main()). Keep in step with gen_city.c.

export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  sf: 'http://www.opengis.net/ont/sf#',
  sosa: 'http://www.w3.org/ns/sosa/',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  ckg: 'https://w3id.org/citykg/ontology#',
  id: 'https://regensburg.example/id/',
  dist: 'https://regensburg.example/id/district/',
  bld: 'https://regensburg.example/id/building/',
  sen: 'https://regensburg.example/id/sensor/',
  obs: 'https://regensburg.example/id/observation/',
  ds: 'https://regensburg.example/id/dataset/',
  org: 'https://regensburg.example/id/org/',
  geom: 'https://regensburg.example/id/geometry/',
  theme: 'http://publications.europa.eu/resource/authority/data-theme/',
  ftype: 'http://publications.europa.eu/resource/authority/file-type/',
};

export const PREFIX_BLOCK = Object.entries(PREFIXES)
  .map(([p, iri]) => `PREFIX ${p}: <${iri}>`)
  .join('\n');

export const GRAPHS = ['districts', 'buildings', 'sensors', 'catalog', 'observations'].map(
  (g) => `https://city.example/graph/${g}`,
);

export const DISTRICTS = [
  ['koenigswiesen', 'Großprüfening-Dechbetten-Königswiesen', '93051'],
  ['kumpfmuehl', 'Kumpfmühl-Ziegetsdorf-Neuprüll', '93051'],
  ['galgenberg', 'Galgenberg', '93053'],
  ['kasernenviertel', 'Kasernenviertel', '93053'],
  ['westenviertel', 'Westenviertel', '93049'],
  ['innenstadt', 'Innenstadt', '93047'],
  ['ostenviertel', 'Ostenviertel', '93055'],
  ['reinhausen', 'Reinhausen', '93059'],
  ['steinweg-pfaffenstein', 'Steinweg-Pfaffenstein', '93059'],
  ['stadtamhof', 'Stadtamhof', '93059'],
  ['konradsiedlung-wutzlhofen', 'Konradsiedlung-Wutzlhofen', '93057'],
  ['sallern-gallingkofen', 'Sallern-Gallingkofen', '93057'],
];
export const POSTCODES = ['93047', '93049', '93051', '93053', '93055', '93057', '93059'];
export const USAGES = ['Residential', 'Office', 'Commercial', 'Education', 'Hospitality',
  'Industrial', 'Religious', 'Sports'];
export const USAGE_LABELS = ['Wohnhaus', 'Mehrfamilienhaus', 'Bürogebäude', 'Geschäftshaus',
  'Schule', 'Gaststätte', 'Lagerhalle', 'Bürgerhaus', 'Kirche', 'Turnhalle', 'Gasthaus'];
export const STREET_WORDS = ['Straße', 'straße', 'gasse', 'Weg', 'platz', 'Dom', 'Römling',
  'Tann', 'Grieb', 'Türken', 'Lößweg', 'Gässchen', 'Brück'];
export const PROPS = ['NO2Concentration', 'PM10Concentration', 'AirTemperature', 'TrafficCount',
  'NoiseLevel'];
export const UNITS = ['µg/m³', '°C', 'Fahrzeuge/h', 'dB(A)'];
export const ORGS = ['stadtentwicklung', 'tiefbauamt', 'umweltamt', 'denkmalpflege',
  'vermessungsamt', 'stadtwerke'];
export const KEYWORDS = ['Gebäude', 'Straßen', 'Luftqualität', 'Denkmalschutz', 'Verkehr',
  'Energie', 'Bauleitplanung', 'Stadtgrün'];
export const THEMES = ['REGI', 'TRAN', 'ENVI', 'EDUC', 'ENER'];
export const FORMATS = ['GEOJSON', 'GPKG', 'CSV', 'SHP', 'JSON', 'PDF'];
export const TOPIC_WORDS = ['Gebäudebestand', 'Straßennetz', 'Luftqualitätsmessungen',
  'Baudenkmäler', 'Verkehrszählungen', 'Wärmebedarf', 'Bebauungspläne', 'Grünflächen'];

// Population per type for `gen_city SIZE` (gen_city.c, main()).
export function population(size) {
  const nbuild = Math.floor((size * 45) / 100 / 16);
  const nsensors = Math.max(20, Math.floor(size / 20000));
  const ndatasets = Math.max(20, Math.floor(size / 10000));
  const fixed = 12 * 6 + 5 * 3 + 6 * 2 + 3 + 14 * ndatasets + 7 * nsensors + 16 * nbuild;
  const nobs = Math.max(0, Math.floor((size - fixed) / 6));
  return { Building: nbuild, Sensor: nsensors, Dataset: ndatasets, Observation: nobs,
    Distribution: ndatasets, Address: nbuild, District: 12, Property: 5, Org: 6, Catalog: 1,
    Geometry: nbuild + nsensors + 12 };
}

// Value kinds: iri, bnode, lang (rdf:langString @de), string (xsd:string),
// integer, decimal, double, boolean, gYear, dateTime, wkt.
// `type` names the entity type of an IRI/bnode object; lo/hi bound numbers
// (for thresholds), `years` the years a dateTime falls in.
export const PROPERTIES = {
  'rdfs:label': { kind: 'lang' },
  'ckg:usage': { kind: 'iri', type: 'Usage' },
  'ckg:height': { kind: 'decimal', lo: 3, hi: 34 },
  'ckg:storeys': { kind: 'integer', lo: 1, hi: 9 },
  'ckg:yearOfConstruction': { kind: 'gYear', lo: 1150, hi: 2023 },
  'ckg:inDistrict': { kind: 'iri', type: 'District' },
  'ckg:annualEnergyDemand': { kind: 'double', lo: 5000, hi: 1500000 },
  'ckg:isHeritage': { kind: 'boolean' },
  'geo:hasGeometry': { kind: 'iri', type: 'Geometry' },
  'ckg:address': { kind: 'bnode', type: 'Address' },
  'geo:asWKT': { kind: 'wkt' },
  'ckg:districtNumber': { kind: 'integer', lo: 1, hi: 12 },
  'ckg:unitLabel': { kind: 'string' },
  'foaf:name': { kind: 'lang' },
  'dct:title': { kind: 'lang' },
  'dct:description': { kind: 'lang' },
  'dct:publisher': { kind: 'iri', type: 'Org' },
  'dct:modified': { kind: 'dateTime', years: [2019, 2024] },
  'dcat:keyword': { kind: 'lang' },
  'dcat:theme': { kind: 'iri', type: 'Theme' },
  'dct:spatial': { kind: 'iri', type: 'District' },
  'dcat:distribution': { kind: 'bnode', type: 'Distribution' },
  'dcat:accessURL': { kind: 'iri', type: 'Download' },
  'dct:format': { kind: 'iri', type: 'Format' },
  'dct:license': { kind: 'iri', type: 'License' },
  'sosa:observes': { kind: 'iri', type: 'Property' },
  'sosa:madeBySensor': { kind: 'iri', type: 'Sensor' },
  'sosa:observedProperty': { kind: 'iri', type: 'Property' },
  'sosa:hasFeatureOfInterest': { kind: 'iri', type: 'District' },
  'sosa:hasSimpleResult': { kind: 'double', lo: -15, hi: 2400 },
  'sosa:resultTime': { kind: 'dateTime', years: [2024, 2024] },
  'vcard:street-address': { kind: 'string' },
  'vcard:postal-code': { kind: 'string' },
  'dcat:dataset': { kind: 'iri', type: 'Dataset' },
};

// Entity types: class (null when several), the properties every member has
// (all functional except dcat:dataset of the catalog), and how to name a
// constant member.
export const TYPES = {
  Building: { cls: 'ckg:Building', props: ['rdfs:label', 'ckg:usage', 'ckg:height',
    'ckg:storeys', 'ckg:yearOfConstruction', 'ckg:inDistrict', 'ckg:annualEnergyDemand',
    'ckg:isHeritage', 'geo:hasGeometry', 'ckg:address'], letter: 'b' },
  District: { cls: 'ckg:District', props: ['rdfs:label', 'ckg:districtNumber',
    'geo:hasGeometry'], letter: 'd' },
  Geometry: { cls: null, props: ['geo:asWKT'], letter: 'g' },
  Sensor: { cls: 'sosa:Sensor', props: ['rdfs:label', 'sosa:observes', 'ckg:inDistrict',
    'geo:hasGeometry'], letter: 's' },
  Property: { cls: 'sosa:ObservableProperty', props: ['rdfs:label', 'ckg:unitLabel'],
    letter: 'p' },
  Observation: { cls: 'sosa:Observation', props: ['sosa:madeBySensor',
    'sosa:observedProperty', 'sosa:hasFeatureOfInterest', 'sosa:hasSimpleResult',
    'sosa:resultTime'], letter: 'o' },
  Dataset: { cls: 'dcat:Dataset', props: ['dct:title', 'dct:description', 'dct:publisher',
    'dct:modified', 'dcat:keyword', 'dcat:theme', 'dct:spatial', 'dcat:distribution'],
    letter: 'ds' },
  Distribution: { cls: 'dcat:Distribution', props: ['dcat:accessURL', 'dct:format',
    'dct:license'], letter: 'di' },
  Org: { cls: 'foaf:Organization', props: ['foaf:name'], letter: 'org' },
  Address: { cls: 'vcard:Address', props: ['vcard:street-address', 'vcard:postal-code'],
    letter: 'a' },
};

// Reverse edges: [target type, property, source type]: members of the source
// type point at a member of the target type with the property.
export const REVERSE = [
  ['District', 'ckg:inDistrict', 'Building'],
  ['District', 'ckg:inDistrict', 'Sensor'],
  ['District', 'sosa:hasFeatureOfInterest', 'Observation'],
  ['District', 'dct:spatial', 'Dataset'],
  ['Property', 'sosa:observes', 'Sensor'],
  ['Property', 'sosa:observedProperty', 'Observation'],
  ['Sensor', 'sosa:madeBySensor', 'Observation'],
  ['Org', 'dct:publisher', 'Dataset'],
];
// Types with many members: a pattern may reach at most one of them through a
// reverse edge, so results stay in the thousands.
export const BIG = new Set(['Building', 'Observation', 'Address', 'Geometry']);
