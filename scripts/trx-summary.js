// Sums the counters of every .trx file under a folder and prints "passed failed" on its last line.
// Before that line it names each failed test and the first lines of its message, because CI only
// shows the tail of the output and a count alone does not say which test to look at.
const fs = require('fs');
const path = require('path');
let passed = 0, failed = 0;
const failures = [];
function unescapeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.trx')) {
      const text = fs.readFileSync(p, 'utf8');
      const m = /<Counters\b([^>]*)\/?>/.exec(text);
      if (!m) { failed++; failures.push(`${path.basename(p)}: no counters`); continue; }
      const attr = (n) => { const a = new RegExp(`\\b${n}="(\\d+)"`).exec(m[1]); return a ? +a[1] : 0; };
      passed += attr('passed');
      failed += attr('failed') + attr('error') + attr('timeout') + attr('aborted');
      const result = /<UnitTestResult\b([^>]*)>([\s\S]*?)<\/UnitTestResult>/g;
      let r;
      while ((r = result.exec(text)) !== null) {
        const outcome = /\boutcome="([^"]*)"/.exec(r[1]);
        if (!outcome || outcome[1] === 'Passed' || outcome[1] === 'NotExecuted') continue;
        const name = /\btestName="([^"]*)"/.exec(r[1]);
        const message = /<Message>([\s\S]*?)<\/Message>/.exec(r[2]);
        const lines = message ? unescapeXml(message[1]).split('\n').slice(0, 6).map(l => '    ' + l.trimEnd()) : [];
        failures.push([`${outcome[1]}: ${name ? unescapeXml(name[1]) : '(unnamed)'}`, ...lines].join('\n'));
      }
    }
  }
}
walk(process.argv[2]);
if (failures.length > 0) console.log(['failed tests:', ...failures].join('\n'));
console.log(`${passed} ${failed}`);
