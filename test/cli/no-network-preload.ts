// Preloaded with `node --import` into a CLI run that must stay offline: every way Node reaches the
// network (TCP/TLS sockets, DNS, http(s), fetch) is replaced by a function that records the attempt in
// $ASSAY_NETWORK_LOG and throws. The test reads the log; an empty log means nothing was attempted.

import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

const log = process.env['ASSAY_NETWORK_LOG'];
if (log === undefined) throw new Error('no-network-preload: set ASSAY_NETWORK_LOG');

function trap(name: string): (...args: unknown[]) => never {
  return () => {
    appendFileSync(log!, `${name}\n`);
    throw new Error(`network access attempted offline: ${name}`);
  };
}

net.Socket.prototype.connect = trap('net.Socket.connect') as typeof net.Socket.prototype.connect;
Object.assign(net, { connect: trap('net.connect'), createConnection: trap('net.createConnection') });
Object.assign(tls, { connect: trap('tls.connect') });
Object.assign(dns, { lookup: trap('dns.lookup'), resolve: trap('dns.resolve'), resolve4: trap('dns.resolve4'), resolve6: trap('dns.resolve6') });
Object.assign(dns.promises, { lookup: trap('dns.promises.lookup'), resolve: trap('dns.promises.resolve') });
Object.assign(http, { request: trap('http.request'), get: trap('http.get') });
Object.assign(https, { request: trap('https.request'), get: trap('https.get') });
globalThis.fetch = trap('fetch') as typeof fetch;
// Named ESM imports of the built-ins (import { lookup } from 'node:dns') see the replacements too.
syncBuiltinESMExports();
appendFileSync(`${log}.armed`, 'armed\n');
