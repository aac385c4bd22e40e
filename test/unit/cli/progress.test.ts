import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar } from '../../../main/cli/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const stream = { isTTY, written: '', write(chunk: string) { stream.written += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { written: string };
}

test('on a terminal the bar shows percentage, files and rate, and is cleared when done', () => {
  const stream = fakeStream(true);
  const bar = progressBar(stream);
  bar.update({ bytesDone: 50, bytesTotal: 100, filesDone: 1, filesTotal: 4 });
  assert.match(stream.written, /\rhashing \[#{15}\.{15}\] +50% 1\/4 files \d+ MB\/s/);
  bar.update({ bytesDone: 100, bytesTotal: 100, filesDone: 4, filesTotal: 4 });
  assert.match(stream.written, /100% 4\/4 files/);
  bar.done();
  assert.ok(stream.written.endsWith('\r\u001b[K'));
});

test('off a terminal nothing is written, so logs and pipes stay clean', () => {
  const stream = fakeStream(false);
  const bar = progressBar(stream);
  bar.update({ bytesDone: 1, bytesTotal: 2, filesDone: 0, filesTotal: 1 });
  bar.done();
  assert.equal(stream.written, '');
});
