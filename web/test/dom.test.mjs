import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readToken } from '../src/dom.js';

test('the token comes from the fragment, "+" and escapes intact', () => {
  assert.equal(readToken('#token=ab+c/d='), 'ab+c/d=');
  assert.equal(readToken('#x=1&token=a%2Bb'), 'a+b');
  assert.equal(readToken('#token='), null);
  assert.equal(readToken(''), null);
  assert.equal(readToken('#tokens=x'), null);
});
