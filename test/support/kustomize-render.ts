import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { type Json, ROOT } from './compose-files.ts';

// Renders deploy/kubernetes with the real `kubectl kustomize` and validates what comes out against the
// Kubernetes (kubernetes-models, the API's OpenAPI schemas) and KEDA (@kubernetes-models/keda, its CRD schema)
// schemas. Used by test/kubernetes-*.test.ts.

export const KUSTOMIZE_DIR = join(ROOT, 'deploy/kubernetes');

/** Every directory under deploy/kubernetes that `kubectl kustomize` must render. */
export const KUSTOMIZATIONS = ['base', 'overlays/demo', 'overlays/production'] as const;
export type Kustomization = (typeof KUSTOMIZATIONS)[number];

export interface K8sObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Json;
}

const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
export const hasKubectl = !probe.error && probe.status === 0;

/** `kubectl kustomize <dir>`, split into objects. Throws with kubectl's stderr when it fails. */
export function render(dir: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** The schema model of each kind the manifests may contain; anything else is an error. */
const MODELS: Record<string, (data: never) => { validate(): void }> = {
  'v1/Namespace': (d) => new Namespace(d),
  'v1/ConfigMap': (d) => new ConfigMap(d),
  'v1/Service': (d) => new Service(d),
  'apps/v1/Deployment': (d) => new Deployment(d),
  'policy/v1/PodDisruptionBudget': (d) => new PodDisruptionBudget(d),
  'networking.k8s.io/v1/NetworkPolicy': (d) => new NetworkPolicy(d),
  'keda.sh/v1alpha1/ScaledObject': (d) => new ScaledObject(d),
};

/** Schema errors of one object ([] when valid). */
export function schemaErrors(object: K8sObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`${object.apiVersion} ${object.kind} is not a kind the manifests may use`];
  try {
    model(object as never).validate();
    return [];
  } catch (error) {
    return [`${object.kind}/${object.metadata.name}: ${(error as Error).message}`];
  }
}

/** Whether a Kubernetes label selector (matchLabels, matchExpressions In/NotIn/Exists) selects these labels. */
export function selects(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = (selector['matchLabels'] ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  const expressions = (selector['matchExpressions'] ?? []) as {
    key: string;
    operator: string;
    values?: string[];
  }[];
  for (const { key, operator, values = [] } of expressions) {
    const value = labels[key];
    if (operator === 'In' && (value === undefined || !values.includes(value))) return false;
    if (operator === 'NotIn' && value !== undefined && values.includes(value)) return false;
    if (operator === 'Exists' && value === undefined) return false;
    if (operator === 'DoesNotExist' && value !== undefined) return false;
  }
  return true;
}

/** A Kubernetes quantity in bytes (memory: Ki/Mi/Gi, k/M/G) or in cores (cpu: `250m`, `1`). */
export function quantity(value: string | number): number {
  const text = String(value);
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?$/.exec(text);
  if (!match) throw new Error(`unparsed quantity ${text}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  return Number(match[1]) * (match[2] ? (factor[match[2]] as number) : 1);
}
