// Preloaded into Azurite's table service (scripts/azurite-services.js; AZURITE_POINT_LOOKUPS=0 leaves it out).
//
// Azurite finds an entity by its keys with LokiJS findOne({RowKey, PartitionKey}). LokiJS uses the index of the first
// property only, then tests every row that shares that RowKey. Our per-contact tables key a contact's rows by the
// contact (PartitionKey) under fixed RowKeys ("profile", "head:Marketing", the data key row), so every point read,
// insert and update of such a row walked all contacts' rows of that name: a campaign's consent and profile reads cost
// O(contacts) each on the emulator (a CPU profile of 5,000@80 put 59 % of Azurite's time in that walk), while Table
// Storage answers them by key. This looks the row up through whichever of the two key indexes holds fewer candidates,
// and returns the same entity LokiJS would (keys compared exactly, as its $eq does).
'use strict';
const path = require('path');

const azurite = path.dirname(require.resolve('azurite/package.json', { paths: [path.join(__dirname, '..')] }));
const Loki = require(require.resolve('lokijs', { paths: [azurite] }));
const findOne = Loki.Collection.prototype.findOne;

const candidates = (collection, property, value) => {
  const index = collection.binaryIndices[property];
  if (index.dirty) collection.ensureIndex(property);
  const [low, high] = collection.calculateRange('$eq', property, value);
  return { values: collection.binaryIndices[property].values, low, high };
};

Loki.Collection.prototype.findOne = function (query) {
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
};
