import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface Container {
  name: string;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  env?: { name: string; value?: string }[];
}

const DIR = 'deploy/k8s';
const manifests: { file: string; manifest: Manifest }[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) => parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({ file, manifest: doc.toJS() as Manifest })));

/** The kubernetes-models class of a manifest: its validate() checks it against the Kubernetes JSON schema (bundled, offline). */
async function modelOf(manifest: Manifest): Promise<{ validate(): void }> {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion : `v1`;
  const module = (await import(`kubernetes-models/${group}/${manifest.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[manifest.kind];
  if (!Model) throw new Error(`no model for ${manifest.apiVersion} ${manifest.kind}`);
  return new Model(manifest);
}

/** Singletons behind a leader lock (ADR 0037): two replicas, one working, one on standby. */
const LEADER_LOCKED = ['relay', 'process-manager', 'national', 'sealer'];
/** The projector: its forces' consumer groups and rebuild locks are per process; one instance. */
const SINGLE_INSTANCE = ['projector'];
const deployments = manifests.filter(({ manifest }) => manifest.kind === 'Deployment').map(({ manifest }) => manifest);
const containersOf = (m: Manifest): Container[] => (m.spec?.['template'] as { spec: { containers: Container[] } }).spec.containers;

describe('Kubernetes manifests (deploy/k8s)', () => {
  it.each(manifests.map(({ file, manifest }) => [`${file}: ${manifest.kind} ${manifest.metadata.name}`, manifest] as const))(
    '%s is valid against the Kubernetes schema',
    async (_name, manifest) => {
      const model = await modelOf(manifest);
      expect(() => model.validate()).not.toThrow();
    },
  );

  it('finds a broken manifest invalid (the validation can fail)', async () => {
    const broken = { ...deployments[0]!, spec: { ...deployments[0]!.spec, replicas: 'two' } };
    const model = await modelOf(broken);
    expect(() => model.validate()).toThrow(/replicas/);
  });

  it('deploys every service of the one image with probes and resources', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'cases',
      'learning',
      'national',
      'process-manager',
      'projector',
      'relay',
      'sealer',
      'suspects',
      'victims',
    ]);
    for (const deployment of deployments) {
      for (const container of containersOf(deployment)) {
        expect(container).toMatchObject({
          image: 'nom-backbone:0.1.0',
          livenessProbe: { httpGet: { path: '/health/live' } },
          readinessProbe: { httpGet: { path: '/health/ready' } },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('runs each leader-locked singleton as a leader and a standby, and the projector as exactly one instance', () => {
    for (const name of LEADER_LOCKED) {
      const deployment = deployments.find((d) => d.metadata.name === name)!;
      expect(deployment.spec).toMatchObject({ replicas: 2, strategy: { type: 'RollingUpdate' } });
      expect(deployment.metadata.annotations?.['nom.police.uk/singleton']).toBe('leader-lock');
      // A standby is ready (it waits, healthy) and must not be restarted: the probes are the usual ones.
      for (const container of containersOf(deployment))
        expect(container.env ?? []).not.toContainEqual(expect.objectContaining({ name: 'NOM_LEADER_LOCK', value: 'false' }));
    }
    for (const name of SINGLE_INSTANCE) {
      const deployment = deployments.find((d) => d.metadata.name === name)!;
      expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
      expect(deployment.metadata.annotations?.['nom.police.uk/singleton']).toBe('true');
    }
  });

  it('has a migration job and a Kafka provisioning job', () => {
    const jobs = manifests
      .filter(({ manifest }) => manifest.kind === 'Job')
      .map(({ manifest }) => manifest.metadata.name)
      .sort();
    expect(jobs).toEqual(['nom-kafka-provision', 'nom-migrate']);
  });
});
