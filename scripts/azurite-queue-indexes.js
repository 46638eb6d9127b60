// Preloaded into Azurite's queue service by scripts/azurite-services.js (AZURITE_KEY_INDEXES=0 leaves it out, as it does
// the table service's preload), so the cost of a queue operation does not grow with the messages waiting.
//
// Azurite clears expired messages at the start of every queue operation (put, receive, delete, update) with
// coll.remove(docs), usually of an empty list. LokiJS removes a list as a batch: it turns its adaptive binary indices off
// for it and marks every index dirty, so the next find re-sorts all four indexes of the messages collection
// (accountName, queueName, messageId, visibleTime) from scratch. A CPU profile of the events-out benchmark (3,000 nudges
// at 300/s) put over half of the queue process's time in that re-sort (ensureIndex, ltHelper, gtHelper), 40-230 ms per
// queue operation with a few thousand messages waiting. Removing nothing is now nothing: the same rows, the same indexes.
'use strict';
const path = require('path');

const azurite = path.dirname(require.resolve('azurite/package.json', { paths: [path.join(__dirname, '..')] }));
const Loki = require(require.resolve('lokijs', { paths: [azurite] }));

const remove = Loki.Collection.prototype.remove;
Loki.Collection.prototype.remove = function (doc) {
  if (Array.isArray(doc) && doc.length === 0) return;
  return remove.call(this, doc);
};
