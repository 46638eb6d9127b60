// Sums the counters of every .trx file under a folder and prints "passed failed".
const fs = require('fs');
const path = require('path');
let passed = 0, failed = 0;
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.trx')) {
      const m = /<Counters\b([^>]*)\/?>/.exec(fs.readFileSync(p, 'utf8'));
      if (!m) { failed++; continue; }
      const attr = (n) => { const a = new RegExp(`\\b${n}="(\\d+)"`).exec(m[1]); return a ? +a[1] : 0; };
      passed += attr('passed');
      failed += attr('failed') + attr('error') + attr('timeout') + attr('aborted');
    }
  }
}
walk(process.argv[2]);
console.log(`${passed} ${failed}`);
