/**
 * Ready-to-paste calls of the local prediction API for one model: curl, JavaScript (Node 18+ or
 * a browser console, with fetch) and Python (standard library only). The example body follows
 * the model's input columns, with the user's own example row when one is given.
 */
import type { Row } from '../../contract/data';
import type { InputSchema, ServingSnippets } from '../../contract/export';

/** The API's address on this machine (never another interface). */
export function servingUrl(port: number): string {
  return `http://127.0.0.1:${port}/v1/predict`;
}

/** A plausible row for the model's inputs: the example's values, else a placeholder per type. */
export function exampleRow(input: InputSchema, example?: Row): Row {
  const row: Row = {};
  for (const column of input.columns) {
    const given = example?.[column.name];
    if (given !== undefined) row[column.name] = given;
    else if (column.type === 'text') row[column.name] = 'Text to classify';
    else if (column.type === 'numeric') row[column.name] = 0;
    else row[column.name] = column.categories[0] ?? '';
  }
  return row;
}

/** The JSON body of an example request. */
export function exampleBody(input: InputSchema, example?: Row): { rows: Row[] } {
  return { rows: [exampleRow(input, example)] };
}

/** A value as a Python literal (JSON's strings and numbers already are; null/true/false are not). */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  const inner = indent + '    ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + pythonLiteral(v, inner)).join(',\n')},\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)}`).join(',\n')},\n${indent}}`;
}

/** Single-quotes text for a POSIX shell (a quote inside becomes '\''). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** curl, JavaScript and Python calls of POST /v1/predict on `port`. */
export function servingSnippets(options: { port: number; input: InputSchema; example?: Row }): ServingSnippets {
  const url = servingUrl(options.port);
  const body = exampleBody(options.input, options.example);
  const curl = [`curl -s ${url} \\`, `  -H 'Content-Type: application/json' \\`, `  -d ${shellQuote(JSON.stringify(body))}`].join('\n');
  const javascript = [
    `const response = await fetch('${url}', {`,
    `  method: 'POST',`,
    `  headers: { 'Content-Type': 'application/json' },`,
    `  body: JSON.stringify(${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}),`,
    `});`,
    `const { predictions } = await response.json();`,
    `console.log(predictions); // [{ prediction, confidence, probabilities }]`,
  ].join('\n');
  const python = [
    'import json',
    'import urllib.request',
    '',
    `body = ${pythonLiteral(body)}`,
    'request = urllib.request.Request(',
    `    "${url}",`,
    '    data=json.dumps(body).encode("utf-8"),',
    '    headers={"Content-Type": "application/json"},',
    ')',
    'with urllib.request.urlopen(request) as response:',
    '    print(json.load(response)["predictions"])',
  ].join('\n');
  return { curl, javascript, python };
}
