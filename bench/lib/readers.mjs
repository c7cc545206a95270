// Large reads for bench/ingest's POST-latency row, in a process of their own (as a dashboard or a
// script would be): `node readers.mjs <url> <count>` keeps <count> clients reading <url> one after
// another until stdin closes, then prints how many reads completed and the bytes they received.
// In the process that times the POSTs, receiving some 20 MB per read would delay its own answers.
import { Agent, request } from 'node:http';

const [url, count] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(count) });
let reading = true;
let reads = 0;
let bytes = 0;

function read() {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url}: status ${response.statusCode}`));
      response.on('data', (chunk) => (bytes += chunk.length));
      response.on('end', resolve);
      response.on('error', reject);
    }).on('error', reject).end();
  });
}

const readers = Array.from({ length: Number(count) }, async () => {
  while (reading) {
    await read();
    reads++;
  }
});
process.stdout.write('reading\n');
process.stdin.on('end', () => (reading = false)).resume();
await Promise.all(readers);
agent.destroy();
process.stdout.write(`${JSON.stringify({ reads, bytes })}\n`);
