/**
 * Dev-time cross-check (not run in CI: the spec files are not in this repository): compares our transcription of
 * Symphony's API contract (`packages/pod-simulator/test/contract/`) with the YAML files of finos/symphony-api-spec.
 *
 *   SYMPHONY_API_SPEC_DIR=/path/to/symphony-api-spec node --conditions=@baton/source --import tsx tools/spec-contract/check-transcription.ts
 *   node --conditions=@baton/source --import tsx tools/spec-contract/check-transcription.ts /path/to/symphony-api-spec
 *
 * The directory holds the spec files at their paths in that repository (`agent/agent-api-public.yaml`, …).
 * For every contract entry: the spec has that path and method (and operationId, when we name one), the served path
 * is the spec's base path + path, the declared status codes are exactly ours, each status's schema is ours, and the
 * statuses we list as undeclared are indeed not declared. For every transcribed definition: the same type, enum,
 * required, property names, and recursively the same property, item and map schemas ($ref compared by name).
 * Exit code 0 when all agree, 1 with the differences listed otherwise, 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  type ResponseBody,
  symphonyContract,
} from '../../packages/pod-simulator/test/contract/symphony-contract.ts';
import {
  definitions,
  type JsonSchema,
  SPEC_COMMIT,
  SPEC_FILES,
  type SpecNamespace,
} from '../../packages/pod-simulator/test/contract/symphony-schemas.ts';

type Node = { [key: string]: unknown };

interface SpecFile {
  paths: Record<string, Record<string, Node>>;
  schemas: Record<string, Node>;
}

/** Where each namespace's paths are served (login and authenticator: the pod's prefix; see `servedAs`). */
const SERVED_PREFIX: Record<SpecNamespace, string> = {
  login: '/login',
  auth: '/sessionauth',
  pod: '/pod',
  agent: '/agent',
  agentDeprecated: '/agent',
};

/** Spec keywords the comparison understands or deliberately ignores (documentation only, and `x-` extensions). */
const COMPARED = new Set(['type', 'enum', 'required', 'properties', 'items', 'additionalProperties', '$ref']);
const IGNORED = new Set(['description', 'example', 'examples', 'format', 'title', 'deprecated', 'default']);

function loadSpec(dir: string, ns: SpecNamespace): SpecFile {
  const doc = parse(readFileSync(join(dir, SPEC_FILES[ns]), 'utf8')) as Node;
  const components = doc.components as Node | undefined;
  return {
    paths: (doc.paths ?? {}) as SpecFile['paths'],
    schemas: (doc.definitions ?? components?.schemas ?? {}) as Record<string, Node>,
  };
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const refName = (ref: unknown): string => String(ref).split('/').pop() ?? '';
/** Our refs are `#/definitions/<ns>.<Name>`. */
const ourRef = (ref: unknown): { ns: string; name: string } => {
  const [ns = '', name = ''] = refName(ref).split('.');
  return { ns, name };
};
const sameSet = (a: unknown, b: unknown): boolean => {
  const x = Array.isArray(a) ? a.map(String).sort() : [];
  const y = Array.isArray(b) ? b.map(String).sort() : [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** A spec schema with every $ref replaced by what it names (a ref back into its own chain stays a name). */
function inlined(file: SpecFile, node: unknown, chain: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((v) => inlined(file, v, chain));
  if (!isNode(node)) return node;
  if (node.$ref !== undefined) {
    const name = refName(node.$ref);
    return chain.includes(name)
      ? { $ref: name }
      : { [name]: inlined(file, file.schemas[name], [...chain, name]) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlined(file, v, chain)]));
}

export interface CheckReport {
  problems: string[];
  notes: string[];
  counts: {
    entries: number;
    statuses: number;
    definitions: number;
    properties: number;
    crossFileRefs: number;
  };
}

/** Compare the transcription with the spec files in `dir`. */
export function checkTranscription(dir: string): CheckReport {
  const specs = Object.fromEntries(
    (Object.keys(SPEC_FILES) as SpecNamespace[]).map((ns) => [ns, loadSpec(dir, ns)]),
  ) as Record<SpecNamespace, SpecFile>;
  const problems: string[] = [];
  const notes: string[] = [];
  const counts = { entries: 0, statuses: 0, definitions: 0, properties: 0, crossFileRefs: 0 };
  const crossChecked = new Set<string>();

  /** `ours` (in namespace `ns`) against the spec schema `theirs`, at `where`. */
  function compare(ours: JsonSchema | undefined, theirs: unknown, ns: string, where: string): void {
    if (!isNode(theirs)) {
      if (ours !== undefined) problems.push(`${where}: the spec has no schema, ours has one`);
      return;
    }
    if (!ours) {
      problems.push(`${where}: the spec has a schema, ours has none`);
      return;
    }
    for (const k of Object.keys(theirs)) {
      if (!COMPARED.has(k) && !IGNORED.has(k) && !k.startsWith('x-'))
        problems.push(`${where}: spec keyword "${k}" is not transcribed`);
    }
    if (theirs.$ref !== undefined) {
      const { ns: refNs, name } = ourRef(ours.$ref);
      if (ours.$ref === undefined || name !== refName(theirs.$ref)) {
        problems.push(`${where}: spec refers to ${refName(theirs.$ref)}, ours to ${String(ours.$ref)}`);
        return;
      }
      if (refNs !== ns && !crossChecked.has(`${ns}>${refNs}.${name}`)) {
        // A ref into another file's definition: the two files must define that schema identically.
        crossChecked.add(`${ns}>${refNs}.${name}`);
        counts.crossFileRefs += 1;
        const here = specs[ns as SpecNamespace];
        const there = specs[refNs as SpecNamespace];
        const deep = (file: SpecFile | undefined) =>
          file ? JSON.stringify(inlined(file, file.schemas[name])) : '';
        if (!here || !there || deep(here) !== deep(there)) {
          problems.push(`${where}: ${name} differs between ${ns} and ${refNs}; transcribe it in ${ns}`);
        }
      }
      return;
    }
    if (ours.$ref !== undefined)
      problems.push(`${where}: ours refers to ${String(ours.$ref)}, the spec inlines`);
    if (ours.type !== theirs.type) {
      problems.push(`${where}: type ${String(theirs.type)} in the spec, ${String(ours.type)} in ours`);
    }
    if ((theirs.enum !== undefined || ours.enum !== undefined) && !sameSet(ours.enum, theirs.enum)) {
      problems.push(
        `${where}: enum ${JSON.stringify(theirs.enum)} in the spec, ${JSON.stringify(ours.enum)} in ours`,
      );
    }
    if (!sameSet(ours.required, theirs.required)) {
      problems.push(
        `${where}: required ${JSON.stringify(theirs.required ?? [])} in the spec, ${JSON.stringify(ours.required ?? [])} in ours`,
      );
    }
    const theirProps = isNode(theirs.properties) ? theirs.properties : {};
    const ourProps = isNode(ours.properties) ? (ours.properties as Record<string, JsonSchema>) : {};
    for (const p of Object.keys(theirProps)) {
      if (!(p in ourProps)) problems.push(`${where}: property "${p}" of the spec is missing`);
    }
    for (const p of Object.keys(ourProps)) {
      if (!(p in theirProps)) problems.push(`${where}: property "${p}" is not in the spec`);
      else {
        counts.properties += 1;
        compare(ourProps[p], theirProps[p], ns, `${where}.${p}`);
      }
    }
    if (theirs.items !== undefined || ours.items !== undefined) {
      compare(ours.items as JsonSchema | undefined, theirs.items, ns, `${where}[]`);
    }
    const theirAdd = theirs.additionalProperties;
    const ourAdd = ours.additionalProperties;
    if (typeof theirAdd === 'boolean' || typeof ourAdd === 'boolean') {
      if (theirAdd !== ourAdd) {
        problems.push(
          `${where}: additionalProperties ${String(theirAdd)} in the spec, ${String(ourAdd)} in ours`,
        );
      }
    } else if (theirAdd !== undefined || ourAdd !== undefined) {
      compare(ourAdd as JsonSchema | undefined, theirAdd, ns, `${where}{}`);
    }
  }

  const responseSchema = (r: Node): unknown => {
    if (r.schema !== undefined) return r.schema; // Swagger 2
    const content = isNode(r.content) ? r.content : undefined; // OpenAPI 3
    const media = content ? (content['application/json'] ?? Object.values(content)[0]) : undefined;
    return isNode(media) ? media.schema : undefined;
  };

  function compareBody(ours: ResponseBody, theirs: unknown, ns: string, where: string): void {
    if (ours.kind === 'json') compare(ours.schema, theirs, ns, where);
    else if (ours.kind === 'base64') {
      if (!isNode(theirs) || theirs.type !== 'string' || theirs.format !== 'byte') {
        problems.push(`${where}: ours is base64 text, the spec has ${JSON.stringify(theirs)}`);
      }
    } else if (theirs !== undefined) {
      if (ours.note) notes.push(`${where}: the spec declares ${JSON.stringify(theirs)}; ours: ${ours.note}`);
      else problems.push(`${where}: ours has no body, the spec declares ${JSON.stringify(theirs)}`);
    }
  }

  for (const entry of symphonyContract) {
    counts.entries += 1;
    const { ns, path, method, operationId, servedAs } = entry.spec;
    const where = `${entry.id} (${SPEC_FILES[ns]} ${method.toUpperCase()} ${path})`;
    const op = specs[ns].paths[path]?.[method];
    if (!isNode(op)) {
      problems.push(`${where}: no such operation in the spec`);
      continue;
    }
    if (operationId !== undefined && op.operationId !== operationId) {
      problems.push(`${where}: operationId ${String(op.operationId)} in the spec, ${operationId} in ours`);
    }
    const served = `${method.toUpperCase()} ${SERVED_PREFIX[ns]}${path}`;
    if (servedAs === undefined ? entry.id !== served : !entry.id.endsWith(path)) {
      problems.push(`${where}: served as ${entry.id}, the spec's base path gives ${served}`);
    }
    const declared = isNode(op.responses) ? op.responses : {};
    const theirStatuses = Object.keys(declared).filter((s) => s !== 'default');
    const ourStatuses = Object.keys(entry.responses);
    if (!sameSet(theirStatuses, ourStatuses)) {
      problems.push(`${where}: the spec declares ${theirStatuses.join(',')}, ours ${ourStatuses.join(',')}`);
    }
    for (const [status, body] of Object.entries(entry.responses)) {
      const r = declared[status];
      if (!isNode(r)) continue;
      counts.statuses += 1;
      compareBody(body, responseSchema(r), ns, `${where} ${status}`);
    }
    for (const status of Object.keys(entry.undeclared ?? {})) {
      if (status in declared)
        problems.push(`${where}: ${status} is listed as undeclared, but the spec declares it`);
      else
        notes.push(
          `${where}: ${status} answered though not declared (${entry.undeclared?.[Number(status)]?.why})`,
        );
    }
  }

  for (const [key, ours] of Object.entries(definitions)) {
    counts.definitions += 1;
    const { ns, name } = ourRef(key);
    const spec = specs[ns as SpecNamespace];
    if (!spec) {
      problems.push(`${key}: unknown namespace ${ns}`);
      continue;
    }
    if (!spec.schemas[name])
      problems.push(`${key}: no definition ${name} in ${SPEC_FILES[ns as SpecNamespace]}`);
    else compare(ours, spec.schemas[name], ns, key);
  }
  return { problems, notes, counts };
}

function main(): void {
  const dir = process.argv[2] ?? process.env.SYMPHONY_API_SPEC_DIR;
  if (!dir) {
    process.stderr.write(
      'usage: check-transcription.ts <dir with the finos/symphony-api-spec files> (or SYMPHONY_API_SPEC_DIR)\n',
    );
    process.exit(2);
  }
  const { problems, notes, counts } = checkTranscription(dir);
  const out = process.stdout;
  out.write(`Transcription of finos/symphony-api-spec@${SPEC_COMMIT.slice(0, 7)} against ${dir}:\n`);
  out.write(
    `  ${counts.entries} endpoints, ${counts.statuses} declared statuses with their bodies, ` +
      `${counts.definitions} definitions (${counts.properties} properties), ${counts.crossFileRefs} cross-file refs\n`,
  );
  for (const n of notes) out.write(`  note: ${n}\n`);
  for (const p of problems) out.write(`  DIFFERS: ${p}\n`);
  out.write(
    problems.length === 0 ? 'The transcription matches the spec.\n' : `${problems.length} differences.\n`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
