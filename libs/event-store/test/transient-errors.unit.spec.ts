import { isTransientError } from '#event-store';

describe(isTransientError.name, () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'an administrator shutdown (pg restart)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a connection exception class', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['pg ending a client under a query', new Error('Connection terminated unexpectedly')],
    ['a kafkajs connection error', Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' })],
    [
      'kafkajs giving up after its retries',
      Object.assign(new Error('gave up'), {
        name: 'KafkaJSNonRetriableError',
        cause: Object.assign(new Error('x'), { name: 'KafkaJSNumberOfRetriesExceeded' }),
      }),
    ],
    [
      'a retriable kafkajs protocol error',
      Object.assign(new Error('leader not available'), { name: 'KafkaJSProtocolError', retriable: true }),
    ],
    [
      'a TypeORM query failure over a dropped connection',
      Object.assign(new Error('query failed'), {
        name: 'QueryFailedError',
        driverError: Object.assign(new Error('terminating connection'), { code: '57P01' }),
      }),
    ],
    [
      'TypeORM refusing a query runner whose connection the server ended',
      Object.assign(new Error('Database connection provided by a query runner was already released'), {
        name: 'QueryRunnerProviderAlreadyReleasedError',
      }),
    ],
    ['a pg client left unqueryable by a cut connection', new Error('Client has encountered a connection error and is not queryable')],
    [
      'an AggregateError of refused connections',
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'all failed'),
    ],
  ])('takes %s as transient', (_what, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a decryption failure', new Error('Unsupported state or unable to authenticate data')],
    ['a missing subject key', new Error('no key and no erasure recorded for subject victim-1')],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['an undefined column (a bug, not an outage)', Object.assign(new Error('column does not exist'), { code: '42703' })],
    [
      'an authorization failure on a topic',
      Object.assign(new Error('not authorized'), { name: 'KafkaJSProtocolError', retriable: false, type: 'TOPIC_AUTHORIZATION_FAILED' }),
    ],
    ['a TypeError from applying a garbled payload', new TypeError("Cannot read properties of undefined (reading 'caseId')")],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('takes %s as a fault of the data or the code', (_what, error) => {
    expect(isTransientError(error)).toBe(false);
  });
  it("takes kafkajs' TypeError over lost cluster metadata (a broker gone mid-refresh) as transient, and only that", () => {
    const thrown = (message: string, frame: string): TypeError => {
      const error = new TypeError(message);
      error.stack = `TypeError: ${message}\n    at Object.fetchTopicMetadata (${frame}:803:24)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;
      return error;
    };
    const inKafkaJs = '/srv/app/node_modules/kafkajs/src/admin/index.js';
    expect(isTransientError(thrown("Cannot read properties of null (reading 'topicMetadata')", inKafkaJs))).toBe(true);
    expect(
      isTransientError(thrown("Cannot read properties of null (reading 'topicMetadata')", '/srv/app/libs/messaging/src/relay.ts')),
    ).toBe(false);
    expect(isTransientError(thrown("Cannot read properties of null (reading 'partitions')", inKafkaJs))).toBe(false);
  });
});
