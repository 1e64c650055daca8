import { CaseCommandRefused } from '#cases-domain';
import { InvalidEventError } from '#contracts';
import { StreamForceMismatchError, WrongExpectedRevisionError } from '#event-store';
import { toProblem } from '../src/problem.js';

describe(toProblem.name, () => {
  it('maps a not-found refusal to a bare 404 that reveals nothing', () => {
    expect(toProblem(new CaseCommandRefused('case-not-found', 'no such case'))).toEqual({
      type: 'urn:uk:police:nom:problem:not-found',
      title: 'Not found',
      status: 404,
    });
  });

  it('maps a refusal naming a field to 422 with the field and the reason', () => {
    expect(toProblem(new CaseCommandRefused('unknown-outcome-code', '19 is not an outcome', 'outcomeCode'))).toMatchObject({
      status: 422,
      type: 'urn:uk:police:nom:problem:rule/unknown-outcome-code',
      errors: [{ field: '/outcomeCode', reason: '19 is not an outcome' }],
    });
  });

  it('maps a state refusal to 409', () => {
    expect(toProblem(new CaseCommandRefused('case-closed', 'closed'))).toMatchObject({
      status: 409,
      type: 'urn:uk:police:nom:problem:state/case-closed',
    });
  });

  it('maps store errors: concurrency to 409 with the current revision, another force to 404, invalid events to 400', () => {
    expect(toProblem(new WrongExpectedRevisionError('case-1', 1n, 4n))).toMatchObject({ status: 409, currentRevision: '4' });
    expect(toProblem(new StreamForceMismatchError('case-1', 'wiltshire'))).toEqual({
      type: 'urn:uk:police:nom:problem:not-found',
      title: 'Not found',
      status: 404,
    });
    expect(toProblem(new InvalidEventError('t', [{ field: '/data/x', reason: 'bad' }]))).toMatchObject({
      status: 400,
      errors: [{ field: '/data/x', reason: 'bad' }],
    });
  });

  it('never leaks an unexpected error', () => {
    expect(toProblem(new Error('password=hunter2 at db'))).toEqual({
      type: 'urn:uk:police:nom:problem:internal',
      title: 'Internal error',
      status: 500,
    });
  });
});
