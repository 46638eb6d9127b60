// Preloaded into Azurite's table service by scripts/azurite-services.js (AZURITE_KEY_INDEXES=0 leaves it out), so the
// emulator finds rows by key the way Table Storage does, through its key indexes, instead of walking a whole table.
// Both changes return exactly what stock Azurite returns; only the rows looked at differ.
//
// 1. Point operations (read, insert, update, delete, and each of them in a batch). Azurite finds an entity with LokiJS
//    findOne({RowKey, PartitionKey}); LokiJS uses the index of the first property only, then tests every row sharing
//    that RowKey. Our per-contact tables keep a contact's rows in its partition under fixed RowKeys ("profile",
//    "head:Marketing", the data key), so each such read walked every contact's row of that name: O(contacts). A CPU
//    profile of the campaign benchmark (5,000@80) put 59 % of the table process's time there. Here the row is looked
//    up through whichever key index holds fewer candidates, keys compared exactly as LokiJS's $eq does.
// 2. Queries whose filter is "PartitionKey eq '...'", alone or followed by "and" clauses with no "or" or "not" among
//    them (a page of campaign recipients, a contact's thread, a contact's pending events, the recent-tombstones poll).
//    Azurite runs the filter's interpreter on every row of the table; here only the partition's rows (from the
//    PartitionKey index) reach the same whole filter, continuation, sort and limit. Such a filter can only match rows
//    of that partition, so nothing it would return is left out.
'use strict';
const path = require('path');

const azurite = path.dirname(require.resolve('azurite/package.json', { paths: [path.join(__dirname, '..')] }));
const Loki = require(require.resolve('lokijs', { paths: [azurite] }));
const Store = require(path.join(azurite, 'dist', 'src', 'table', 'persistence', 'LokiTableMetadataStore.js')).default;

// AZURITE_KEY_INDEXES=verify: also runs stock LokiJS/Azurite for every lookup and logs any difference on stderr.
const verify = process.env.AZURITE_KEY_INDEXES === 'verify';
const differs = (what, query) => console.error(`azurite-key-indexes: ${what} differs from stock for ${JSON.stringify(query)}`);

const candidates = (collection, property, value) => {
  if (collection.binaryIndices[property].dirty) collection.ensureIndex(property);
  const [low, high] = collection.calculateRange('$eq', property, value);
  return { values: collection.binaryIndices[property].values, low, high };
};

const findOne = Loki.Collection.prototype.findOne;
Loki.Collection.prototype.findOne = function (query) {
  if (!verify) return findByKeys.call(this, query);
  const found = findByKeys.call(this, query);
  if (found !== findOne.call(this, query)) differs('findOne', query);
  return found;
};

function findByKeys(query) {
  const keys = query && Object.keys(query);
  if (!keys || keys.length !== 2 || typeof query.PartitionKey !== 'string' || typeof query.RowKey !== 'string'
      || this.cloneObjects || !this.binaryIndices.PartitionKey || !this.binaryIndices.RowKey) {
    return findOne.call(this, query);
  }

  if (this.data.length === 0) return null;
  const byPartition = candidates(this, 'PartitionKey', query.PartitionKey);
  const byRow = candidates(this, 'RowKey', query.RowKey);
  const { values, low, high } = byPartition.high - byPartition.low <= byRow.high - byRow.low ? byPartition : byRow;
  for (let i = low; i <= high; i++) {
    const doc = this.data[values[i]];
    if (doc.PartitionKey === query.PartitionKey && doc.RowKey === query.RowKey) return doc;
  }

  return null;
}

// The partition clause first, then only conjunctions: "and" binds tighter than "or" in OData, so one "or" (or a "not")
// anywhere after it could admit rows of other partitions; such filters go to stock Azurite. String literals are
// blanked before looking, so a value containing " or " does not count.
const partitionFirst = /^\s*\(?\s*PartitionKey\s+eq\s+'((?:[^']|'')*)'\s*\)?(?:\s+and\s+([\s\S]*))?$/;
const onlyConjunctions = (rest) => rest === undefined || !/\b(or|not)\b/i.test(rest.replace(/'(?:[^']|'')*'/g, "''"));
const partitionOf = (filter) => {
  const match = typeof filter === 'string' ? partitionFirst.exec(filter) : null;
  return match && onlyConjunctions(match[2]) ? match[1].replace(/''/g, "'") : null;
};
const query = Store.prototype.queryTableEntities;
Store.prototype.queryTableEntities = function (context, account, table, queryOptions, ...rest) {
  const partitionKey = queryOptions ? partitionOf(queryOptions.filter) : null;
  if (partitionKey === null) return query.call(this, context, account, table, queryOptions, ...rest);
  // Stock queryTableEntities reads its collection and chains on it before its first await: the narrowed chain is in
  // place for exactly this call.
  const getEntityCollection = this.getEntityCollection;
  this.getEntityCollection = function (...args) {
    const collection = getEntityCollection.apply(this, args);
    return Object.create(collection, { chain: { value: () => collection.chain().find({ PartitionKey: partitionKey }) } });
  };
  let narrowed;
  try {
    narrowed = query.call(this, context, account, table, queryOptions, ...rest);
  } finally {
    delete this.getEntityCollection;
  }

  if (!verify) return narrowed;
  const stock = query.call(this, context, account, table, queryOptions, ...rest);
  return Promise.all([narrowed, stock]).then(([mine, theirs]) => {
    const ids = (r) => JSON.stringify([r[0].map((e) => `${e.PartitionKey}|${e.RowKey}|${e.eTag}`), r[1], r[2]]);
    if (ids(mine) !== ids(theirs)) differs('query', queryOptions.filter);
    return mine;
  }, () => narrowed);
};
