import { strict as assert } from 'node:assert';
import { escapeMarkdown } from '../../../src/views/markdownText';

describe('Markdown escaping', () => {
  it('makes Markdown, HTML and icon syntax read as plain text', () => {
    assert.equal(escapeMarkdown('**bold** [a](b) `c` <i> $(zap)'), '\\*\\*bold\\*\\* \\[a\\]\\(b\\) \\`c\\` \\<i\\> \\$\\(zap\\)');
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
  });

  it('keeps one item on one line', () => {
    assert.equal(escapeMarkdown('one\ntwo\r\nthree'), 'one two three');
  });

  it('leaves ordinary words alone', () => {
    assert.equal(escapeMarkdown('host ovs a uses key id_ed25519'), 'host ovs a uses key id\\_ed25519');
  });
});
