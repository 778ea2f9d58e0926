import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '@hub/gateway';
import { buildASTSchema, getNamedType, isListType, isNonNullType, isObjectType, parse, print, type GraphQLOutputType } from 'graphql';
import { missingRecords, recordQuery, REFERENCES, withReferenceIds } from '../src/held-elsewhere';
import { factsQuery, wantedRecords } from '../src/held-facts';
import { mergedFieldsOnly } from '../src/entity-merge';
import { withoutUnusedDefinitions } from '../src/unused-definitions';
import { recordActedOn } from '../src/organisations-named';

const listOf = (type: GraphQLOutputType) => isListType(isNonNullType(type) ? type.ofType : type);

describe('references to records another deployment holds', () => {
  it.each(Object.keys(REFERENCES) as (keyof typeof REFERENCES)[])('gives, in the %s subgraph, the ID field next to every field the gateway fills in', (name) => {
    const sdl = readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
    const schema = buildASTSchema(parse(sdl), { assumeValid: true });
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const fields = type.getFields();
      for (const reference of REFERENCES[name]) {
        const field = fields[reference.field];
        if (!field || !isObjectType(getNamedType(field.type))) continue;
        checked++;
        const id = fields[reference.idField];
        expect({ type: type.name, field: reference.field, id: id && getNamedType(id.type).name, list: id && listOf(id.type) }).toEqual({
          type: type.name,
          field: reference.field,
          id: 'ID',
          list: Boolean(reference.list),
        });
        // the query the gateway reads such a record with exists and takes an ID
        const query = schema.getQueryType()?.getFields()[reference.query];
        expect(query && getNamedType(query.type).name).toBe(getNamedType(field.type).name);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(REFERENCES[name].length);
  });

  it('asks for the IDs under names of its own, takes them out again and lists what was left null, lists included', () => {
    const document = parse(`query { program { forumItems { edges { node { f: forum { name } ...Path history { forum { name } fromForum { name } } } } } } }
      fragment Path on ForumItem { path { name } }`);
    const asked = withReferenceIds(document, REFERENCES.sessions)!;
    expect(print(asked)).toContain('__hub_forumId: forumId');
    expect(print(asked)).toContain('__hub_pathIds: pathIds');
    expect(print(asked)).toContain('__hub_fromForumId: fromForumId');
    const node = {
      f: null,
      __hub_forumId: 'natmgr.com_1',
      path: [{ name: 'Local' }, null],
      __hub_pathIds: ['partner-0.com_1', 'natmgr.com_1'],
      history: [{ forum: { name: 'Local' }, __hub_forumId: 'partner-0.com_1', fromForum: null, __hub_fromForumId: null }],
    };
    const missing = missingRecords(asked, { program: { forumItems: { edges: [{ node }] } } }, REFERENCES.sessions);
    expect(missing.map((m) => [m.id, m.key, m.query])).toEqual([
      ['natmgr.com_1', 'f', 'community'],
      ['natmgr.com_1', 1, 'community'],
    ]);
    // the client sees none of the gateway's own fields
    expect(JSON.stringify(node)).not.toContain('__hub_');
    const { query, variables, aliasOf } = recordQuery(missing, asked);
    expect(aliasOf).toEqual([0, 0]); // the same forum with the same selection is read once
    expect(variables).toEqual({ r0: 'natmgr.com_1' });
    expect(query).toMatch(/r0: community\(id: \$r0\) \{\s*name\s*\}/);
  });

  it('leaves an operation without such fields as it is', () => {
    expect(withReferenceIds(parse(`{ sessions { edges { node { id } } } }`), REFERENCES.sessions)).toBeNull();
    expect(withReferenceIds(parse(`{ forumItem(id: "x") { forum { name } } }`), REFERENCES.feedback)).toBeNull();
  });
});

describe('the record a mutation changes', () => {
  it('is the one named by itemId, then id, inline or in variables', () => {
    expect(recordActedOn(parse(`mutation { escalateForumItem(input: { toForumId: "natmgr.com_1", itemId: "partner-0.fit_1" }) { id } }`))).toBe('partner-0.fit_1');
    expect(recordActedOn(parse(`mutation($i: EscalateForumItemInput!) { escalateForumItem(input: $i) { id } }`), { i: { toForumId: 'natmgr.com_1', itemId: 'partner-0.fit_2' } })).toBe('partner-0.fit_2');
    expect(recordActedOn(parse(`mutation { endSession(id: "partner-1.ses_1") { id } }`))).toBe('partner-1.ses_1');
  });

  it('is none for queries and for mutations naming no such field', () => {
    expect(recordActedOn(parse(`query { forumItem(id: "partner-0.fit_1") { id } }`))).toBeNull();
    expect(recordActedOn(parse(`mutation { raiseForumItem(input: { forumId: "natmgr.com_1", title: "t" }) { id } }`))).toBeNull();
  });
});

describe('what a deployment may ask the gateway to read for it', () => {
  const asking = (records: unknown[]) => [{ message: 'held elsewhere', extensions: { code: 'HELD_ELSEWHERE', records } }];
  const forum = 'natmgr.com_01J00000000000000000000000';
  const course = 'natmgr.trc_01J00000000000000000000000';

  it('is records of the kinds the gateway reads, by IDs of those kinds, and nothing else', () => {
    expect(
      wantedRecords(
        asking([
          { kind: 'communities', id: forum },
          { kind: 'courses', id: course },
          { kind: 'membershipRules', id: forum },
          { kind: '__proto__', id: forum },
          { kind: 'constructor', id: forum },
          { kind: 'courses', id: forum },
          { kind: 'communities', id: 'natmgr.com_; DROP' },
          { kind: 'communities' },
          'communities',
        ]),
      ),
    ).toEqual([
      { kind: 'communities', id: forum },
      { kind: 'courses', id: course },
      { kind: 'membershipRules', id: forum },
    ]);
    expect(({} as Record<string, unknown>)[forum]).toBeUndefined();
    expect(wantedRecords(asking(Array.from({ length: 500 }, () => ({ kind: 'communities', id: forum }))))).toHaveLength(50);
    expect(wantedRecords([{ message: 'other', extensions: { code: 'NOT_FOUND', records: [{ kind: 'communities', id: forum }] } }])).toEqual([]);
  });

  it('takes a deployment\'s answer for the record asked only: the same ID, of its owner', () => {
    const { facts } = factsQuery([{ kind: 'communities', id: forum }]);
    const answer = (id: string, organisation: string) => ({ r0: { id, kind: 'FORUM', tier: 'national', tierLevel: 1, organisation: { id: organisation }, program: { id: 'natmgr.prg_01J00000000000000000000000' } } });
    expect(facts(answer(forum, 'natmgr')).communities?.[forum]).toMatchObject({ id: forum, organisationId: 'natmgr', tierLevel: 1 });
    expect(facts(answer('other.com_01J00000000000000000000000', 'other')).communities?.[forum]).toBeNull();
    expect(facts(answer(forum, 'other')).communities?.[forum]).toBeNull();
  });
});

describe('a fetch the gateway cut down', () => {
  it('keeps only the variables and fragments it still uses, so it passes validation', () => {
    const document = parse(`query($representations: [_Any!]!, $n: Int!, $f: Int!) { _entities(representations: $representations) {
      ... on Community { sessions(first: $n) { totalCount } ...Items } } }
      fragment Items on Community { forumItems(first: $f) { ...Item } }
      fragment Item on ForumItemConnection { totalCount }
      fragment Unused on Community { id }`);
    const pruned = withoutUnusedDefinitions(mergedFieldsOnly(document, 'Community', false));
    const printed = print(pruned);
    expect(printed).not.toContain('$n');
    expect(printed).not.toContain('fragment Unused');
    expect(printed).toContain('$representations');
  });
});
