// Runs Azurite's blob, queue and table services as three processes instead of azurite.js's one. Azurite keeps each
// service's data in LokiJS and saves it every five seconds by serialising the whole store on the event loop; with all
// three in one process, saving a large table store holds up every queue request meanwhile, which is what the webhook
// ack waits on. Separate processes also give the services a core each, as the separate services in Azure have.
//
// Takes azurite.js's arguments. Start it as a process group leader (setsid) so that a signal to the group reaches
// all three (the benchmarks freeze storage with SIGSTOP); SIGTERM or SIGINT to this process stops the services
// cleanly (each saves its data), then this process exits.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const args = process.argv.slice(2);
const value = (name) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : undefined; };
const flags = ['skipApiVersionCheck', 'disableProductStyleUrl', 'silent', 'loose', 'disableTelemetry', 'inMemoryPersistence'].filter((f) => args.includes('--' + f));
const location = value('location');
const debug = value('debug');
const dist = path.join(__dirname, '..', 'node_modules', 'azurite', 'dist', 'src');

const children = ['blob', 'queue', 'table'].map((service) => {
  const serviceArgs = [path.join(dist, service, 'main.js'),
    `--${service}Host`, value(`${service}Host`) || '127.0.0.1', `--${service}Port`, value(`${service}Port`)];
  if (location) serviceArgs.push('--location', location);
  if (debug) serviceArgs.push('--debug', `${debug}.${service}`);
  for (const f of flags) serviceArgs.push('--' + f);
  // AZURITE_CPU_PROF_DIR: each service writes a V8 CPU profile there when it stops (what a request costs the emulator).
  const profile = process.env.AZURITE_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.AZURITE_CPU_PROF_DIR] : [];
  // The table service looks entities up by the narrower of its two key indexes, the queue service stops re-sorting its
  // indexes on every operation (azurite-key-indexes.js and azurite-queue-indexes.js say why).
  const preloads = { table: 'azurite-key-indexes.js', queue: 'azurite-queue-indexes.js' };
  const preload = preloads[service] && process.env.AZURITE_KEY_INDEXES !== '0' ? ['--require', path.join(__dirname, preloads[service])] : [];
  const child = spawn(process.execPath, [...profile, ...preload, ...serviceArgs], { stdio: 'inherit' });
  child.service = service;
  return child;
});

let stopping = false;
let running = children.length;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // The table service saves and closes on SIGINT only; the others take either.
  for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
};
for (const child of children) {
  child.on('exit', (code, signal) => {
    running--;
    if (!stopping) {
      console.error(`Azurite ${child.service} service exited (${signal || code}); stopping the others`);
      process.exitCode = 1;
      stop();
    }
    if (running === 0) process.exit();
  });
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
