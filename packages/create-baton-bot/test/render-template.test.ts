import { describe, expect, it } from 'vitest';
import { outputPath } from '../src/output-path.ts';
import { renderTemplate } from '../src/render-template.ts';
import { TemplateError } from '../src/template-error.ts';

const values = { name: 'my-bot', batonVersion: '^0.1.0' };

describe('renderTemplate', () => {
  it('substitutes every placeholder and leaves other braces alone', () => {
    expect(renderTemplate('{{name}} uses {{batonVersion}}; {{name}}. $X {a} { {name} }', values, 'f')).toBe(
      'my-bot uses ^0.1.0; my-bot. $X {a} { {name} }',
    );
  });

  it('refuses a placeholder it does not know (a bug in a template)', () => {
    expect(() => renderTemplate('{{nmae}}', values, 'README.md')).toThrow(TemplateError);
    expect(() => renderTemplate('{{toString}}', values, 'README.md')).toThrow(/README\.md.*\{\{toString\}\}/);
  });
});

describe('outputPath', () => {
  it('turns a leading _ of the file name into a dot', () => {
    expect(outputPath('_gitignore')).toBe('.gitignore');
    expect(outputPath('_env.example')).toBe('.env.example');
    expect(outputPath('src/_hidden')).toBe('src/.hidden');
    expect(outputPath('src/bot.ts')).toBe('src/bot.ts');
    expect(outputPath('_dir/file_name')).toBe('_dir/file_name');
  });
});
