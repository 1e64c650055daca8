import { References, streamsNamedByBody } from '../src/body-references.js';

class LinkDto {
  @References('suspect')
  suspectId!: string;
}

class NamedDto extends LinkDto {
  @References('case')
  caseId!: string;
}

class SubjectDto {
  subjectType!: string;
  @References((body) => (body['subjectType'] === 'victim' ? 'victim' : undefined))
  subjectId!: string;
}

describe(streamsNamedByBody.name, () => {
  const id = '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';

  it("names the stream of each marked field, inherited ones included, from the handler's parameter types", () => {
    expect(streamsNamedByBody([String, LinkDto], { suspectId: id })).toEqual([`suspect-${id}`]);
    expect(streamsNamedByBody([NamedDto], { suspectId: id, caseId: id })).toEqual([`suspect-${id}`, `case-${id}`]);
  });

  it('takes the resource from the body where it depends on it', () => {
    expect(streamsNamedByBody([SubjectDto], { subjectType: 'victim', subjectId: id })).toEqual([`victim-${id}`]);
    expect(streamsNamedByBody([SubjectDto], { subjectType: 'officer', subjectId: 'AS-4471' })).toEqual([]);
  });

  it('leaves values that are not UUIDs, absent fields and bodies that are not objects to validation', () => {
    expect(streamsNamedByBody([LinkDto], { suspectId: 'x' })).toEqual([]);
    expect(streamsNamedByBody([LinkDto], { suspectId: 42 })).toEqual([]);
    expect(streamsNamedByBody([LinkDto], {})).toEqual([]);
    expect(streamsNamedByBody([LinkDto], [id])).toEqual([]);
    expect(streamsNamedByBody([LinkDto], undefined)).toEqual([]);
  });
});
