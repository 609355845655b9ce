// The stylesheet parses as written: a brace lost in a merge once left a rule open, and every rule
// after it became a nested rule of that one — valid CSS nesting, so nothing failed, and a whole
// block of the screens' styles silently stopped applying (found only in a screenshot).
// We write no nested rules, so a style rule inside another style rule means a lost brace.
import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';

// Here, not beside the stylesheet: renderer code may not import Node's modules (lint rule).
const file = path.join(import.meta.dirname, '..', 'renderer', 'src', 'styles.css');

describe('renderer/src/styles.css', () => {
  it('parses, with every block closed', () => {
    expect(() => postcss.parse(fs.readFileSync(file, 'utf8'), { from: file })).not.toThrow();
  });

  it('has no style rule nested in another style rule (the sign of a lost closing brace)', () => {
    const nested: string[] = [];
    postcss.parse(fs.readFileSync(file, 'utf8'), { from: file }).walkRules((rule) => {
      if (rule.parent?.type === 'rule') nested.push(`line ${rule.source?.start?.line}: "${rule.selector}" inside "${(rule.parent as postcss.Rule).selector}"`);
    });
    expect(nested).toEqual([]);
  });

  it('would catch a lost brace: the same check on the stylesheet with one rule left open', () => {
    const broken = fs.readFileSync(file, 'utf8').replace(/\}\n/, '\n');
    let caught = false;
    try {
      postcss.parse(broken, { from: file }).walkRules((rule) => {
        if (rule.parent?.type === 'rule') caught = true;
      });
    } catch {
      caught = true;
    }
    expect(caught).toBe(true);
  });
});
