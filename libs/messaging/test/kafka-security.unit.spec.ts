import { FORCE_CODES } from '#contracts';
import {
  forcePrincipal,
  formatKafkaCredentials,
  kafkaAclBindings,
  kafkaPrincipals,
  parseKafkaCredentials,
  toKafkajsAcl,
  withPasswordsFor,
  type AclBinding,
} from '../src/kafka-security.js';

const bindings = kafkaAclBindings(FORCE_CODES);
const of = (principal: string): AclBinding[] => bindings.filter((b) => b.principal === `User:${principal}`);
const line = (b: AclBinding): string => `${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName}`;

describe('Kafka principals and ACLs generated from the force list', () => {
  it('has one SCRAM user per force and the three backbone principals', () => {
    const principals = kafkaPrincipals(FORCE_CODES);
    expect(principals).toHaveLength(46);
    expect(principals.slice(0, 3)).toEqual(['nom-admin', 'nom-relay', 'nom-projector']);
    expect(new Set(principals).size).toBe(46);
    expect(principals).toContain('force-avon-somerset');
    expect(principals).toContain('force-wiltshire');
  });

  it("gives a force's principal read of its own topic, the signed checkpoints and groups under its own prefix, nothing else", () => {
    expect(of('force-kent').map(line).sort()).toEqual([
      'DESCRIBE TOPIC:LITERAL:nom.audit.checkpoints',
      'DESCRIBE TOPIC:LITERAL:nom.force.kent.events',
      'READ GROUP:PREFIXED:force-kent.',
      'READ TOPIC:LITERAL:nom.audit.checkpoints',
      'READ TOPIC:LITERAL:nom.force.kent.events',
    ]);
    for (const force of FORCE_CODES) {
      const own = of(forcePrincipal(force));
      expect(own).toHaveLength(5);
      expect(own.every((b) => [`nom.force.${force}.events`, `force-${force}.`, 'nom.audit.checkpoints'].includes(b.resourceName))).toBe(
        true,
      );
    }
  });

  it('no force can reach another force through a prefix: group prefixes end with a dot and never nest', () => {
    const prefixes = FORCE_CODES.map((f) => `force-${f}.`);
    const nested = prefixes.flatMap((a) => prefixes.filter((b) => b !== a && b.startsWith(a)).map((b) => `${a} < ${b}`));
    expect(nested).toEqual([]);
    // e.g. `north-wales` and `north-yorkshire`, `west-midlands` and `west-mercia`: literal topics, dotted prefixes.
    expect(bindings.filter((b) => b.resourceType === 'TOPIC' && b.patternType !== 'LITERAL')).toEqual([]);
  });

  it('lets only the relay write, to the 43 force topics, the national topic and the checkpoints, with idempotent write on the cluster', () => {
    const writers = bindings.filter((b) => b.operation === 'WRITE' || b.operation === 'IDEMPOTENT_WRITE');
    expect(new Set(writers.map((b) => b.principal))).toEqual(new Set(['User:nom-relay']));
    expect(
      writers
        .filter((b) => b.operation === 'WRITE')
        .map((b) => b.resourceName)
        .sort(),
    ).toEqual([...FORCE_CODES.map((f) => `nom.force.${f}.events`), 'nom.national.events', 'nom.audit.checkpoints'].sort());
    // It reads only its own topics, in its own tail groups (ADR 0021: a new producer learns what is published).
    expect(
      of('nom-relay')
        .filter((b) => b.operation === 'READ')
        .map(line)
        .sort(),
    ).toEqual(
      [
        ...FORCE_CODES.map((f) => `READ TOPIC:LITERAL:nom.force.${f}.events`),
        'READ TOPIC:LITERAL:nom.national.events',
        'READ TOPIC:LITERAL:nom.audit.checkpoints',
        'READ GROUP:PREFIXED:nom.relay.tail.',
      ].sort(),
    );
    expect(writers.filter((b) => b.operation === 'IDEMPOTENT_WRITE').map(line)).toEqual(['IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster']);
  });

  it('lets the projector read every force topic, read (never write or create) the national one, and groups under nom.', () => {
    const projector = of('nom-projector');
    expect(projector.filter((b) => b.operation === 'READ' && b.resourceType === 'TOPIC')).toHaveLength(44);
    // Its onboarding feed consumes the national topic (force-onboarded); the relay alone creates and writes it.
    expect(
      projector
        .filter((b) => b.resourceName === 'nom.national.events')
        .map(line)
        .sort(),
    ).toEqual(['DESCRIBE TOPIC:LITERAL:nom.national.events', 'READ TOPIC:LITERAL:nom.national.events']);
    expect(projector.filter((b) => b.resourceType === 'GROUP' && b.operation === 'READ').map(line)).toEqual(['READ GROUP:PREFIXED:nom.']);
  });

  it("lets the projector's principal describe, not join, each force's groups (subscription status, ADR 0032)", () => {
    const described = of('nom-projector').filter((b) => b.resourceType === 'GROUP' && b.operation !== 'READ');
    expect(described.map(line).sort()).toEqual(FORCE_CODES.map((f) => `DESCRIBE GROUP:PREFIXED:force-${f}.`).sort());
  });

  it('grants no wildcard: no `*` resource, no `User:*`, no admin bindings (super user), nothing but ALLOW', () => {
    expect(bindings).toHaveLength(44 * 4 + 1 + 1 + 43 * 3 + 2 + 1 + 43 + 43 * 3 + 4 + 43 * 2);
    for (const b of bindings) {
      expect(b.resourceName).not.toContain('*');
      expect(b.resourceName).not.toBe('');
      expect(b.principal).not.toBe('User:*');
    }
    expect(of('nom-admin')).toEqual([]);
    expect(new Set(bindings.map((b) => toKafkajsAcl(b).permissionType))).toEqual(new Set([3])); // ALLOW
  });

  it('follows the topic prefix', () => {
    expect(of('force-durham').map(line)).toContain('READ TOPIC:LITERAL:nom.force.durham.events');
    const other = kafkaAclBindings(['durham'], 'test_x');
    expect(other.filter((b) => b.principal === 'User:force-durham').map(line)).toContain('READ TOPIC:LITERAL:test_x.force.durham.events');
    expect(other.filter((b) => b.principal === 'User:nom-projector' && b.resourceType === 'GROUP').map(line)).toEqual([
      'READ GROUP:PREFIXED:test_x.',
      'DESCRIBE GROUP:PREFIXED:force-durham.',
    ]);
  });

  it('maps to kafkajs ACL entries', () => {
    expect(
      toKafkajsAcl({
        principal: 'User:force-kent',
        resourceType: 'GROUP',
        resourceName: 'force-kent.',
        patternType: 'PREFIXED',
        operation: 'READ',
      }),
    ).toEqual({
      principal: 'User:force-kent',
      host: '*',
      resourceType: 3,
      resourceName: 'force-kent.',
      resourcePatternType: 4,
      operation: 3,
      permissionType: 3,
    });
  });
});

describe('Kafka credentials file', () => {
  it('gives every principal a random password and keeps existing ones', () => {
    const first = withPasswordsFor(['nom-admin', 'force-kent']);
    expect(first.get('nom-admin')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.get('nom-admin')).not.toBe(first.get('force-kent'));
    const second = withPasswordsFor(['nom-admin', 'force-kent', 'force-durham'], first);
    expect(second.get('nom-admin')).toBe(first.get('nom-admin'));
    expect(second.size).toBe(3);
  });

  it('round-trips principal=password lines', () => {
    const credentials = new Map([
      ['nom-admin', 'a=b'],
      ['force-kent', 'xyz'],
    ]);
    expect(parseKafkaCredentials(formatKafkaCredentials(credentials))).toEqual(credentials);
    expect(() => parseKafkaCredentials('garbage')).toThrow('malformed Kafka credentials line');
  });
});
