/**
 * Hostile input for the fuzz tests: arguments, prompts and raw frames a careless or malicious
 * client could send. Command names come from the engine's own registry, so a new command is
 * fuzzed without touching this file.
 */
import fc from 'fast-check';
import { commands } from '../../src/engine/commands/index.ts';

/** How many runs a property gets: small in CI, larger behind `npm run fuzz`. */
export const FUZZ_RUNS = Number(process.env.FLOWER_FUZZ_RUNS ?? '') || 30;
/** Random frames thrown at the real server in the socket run. */
export const FUZZ_FRAMES = Number(process.env.FLOWER_FUZZ_FRAMES ?? '') || 2_000;
/** Per-test limit that grows with the knobs above (CI sizes stay far below it). */
export const FUZZ_TIMEOUT_MS = Math.max(180_000, FUZZ_RUNS * 3_000, FUZZ_FRAMES * 30);
/** A fixed seed unless one is given, so a CI failure reproduces; fast-check prints it. */
export const FUZZ_SEED = process.env.FLOWER_FUZZ_SEED ? Number(process.env.FLOWER_FUZZ_SEED) : undefined;

export const commandNames: readonly string[] = commands.map((command) => command.name);

const KNOWN_IDS = ['castle', 'station', 'knight', 'thief', 'grim', 'nsfw', 'humor', 'scripted/narrator', 'harbor', 'mara', 'local/test-model'];

const NASTY = [
  '',
  ' ',
  '\t\n\r',
  '../../etc/passwd',
  '..\\..\\windows\\system32',
  '/etc/shadow',
  'file:///etc/passwd',
  'id with spaces',
  '  padded  ',
  '{"prompt": "x"}',
  '{"__proto__": {"polluted": true}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "'; DROP TABLE messages; --",
  '" OR 1=1 --',
  'NEAR(a b) AND OR NOT * "',
  'lore*',
  '%s%n%x',
  '${process.exit()}',
  '{{user}} {{char}} {{random::a::b}}',
  '\u0000',
  '\u0000abc\u0000',
  '\u202eevil',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '🧙‍♂️🏰',
  'a\u0301\u0301\u0301\u0301',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '0x10',
  '1.5',
  '2d6+3',
  '1000d1000000',
  '9999999d9999999',
  'd0',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'x'.repeat(5_000),
  '\n'.repeat(500),
];

/** One hostile argument: a known id, a nasty constant, random unicode, or a long string. */
export const hostileArgument: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_IDS), fc.constantFrom(...NASTY)).map(([a, b]) => `${a}${b}`) },
);

/** A command line built from a real command name, with odd casing, spacing and arguments. */
export const commandLine: fc.Arbitrary<string> = fc
  .record({
    name: fc.constantFrom(...commandNames),
    upper: fc.boolean(),
    gap: fc.constantFrom(' ', '  ', '\t', ' \n '),
    argument: fc.option(hostileArgument, { nil: undefined }),
    extra: fc.option(hostileArgument, { nil: undefined }),
  })
  .map(({ name, upper, gap, argument, extra }) => {
    const head = upper ? name.toUpperCase() : name;
    const words = [head.split(' ').join(gap), argument, extra].filter((word) => word !== undefined);
    return words.join(gap);
  });

/** Lines that start with `/` but name no command, or half of one. */
export const bogusCommandLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => `/${text}`),
  fc.constantFrom('/', '//', '/ ', '/world', '/session', '/rules', '/character', '/../../etc/passwd', '/__proto__', '/constructor', '/help me'),
);

/** A story prompt: anything a player might paste. */
export const storyPrompt: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.constantFrom('I open the door.', 'Castle vault golem bells?', 'silver AND vault OR "drowned chapel"') },
);

/** Values that are not a string prompt, for `{"prompt": …}`. */
const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

const nested = (depth: number, open: string, close: string, inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth);

/** A raw text frame: JSON that is not a prompt object, broken JSON, pollution keys, deep nesting. */
export const rawTextFrame: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: notAString.map((value) => JSON.stringify({ prompt: value })) },
  { weight: 1, arbitrary: storyPrompt.map((prompt) => `{"__proto__": {"polluted": true}, "prompt": ${JSON.stringify(prompt)}}`) },
  { weight: 1, arbitrary: fc.constantFrom(
      '{"constructor": {"prototype": {"polluted": true}}, "prompt": "x"}',
      '{"prompt": "x", "prompt": {"nested": 1}}',
      '{"prompt": "/help", "__proto__": null}',
      '{"prompt":',
      '{"prompt": "unterminated',
      '{',
      '}',
      '[]',
      'null',
      'true',
      '1e999999',
      '-0',
      '123456789012345678901234567890',
      JSON.stringify({ prompt: '/help', extra: { deep: [1, 2, 3] } }),
      `{"prompt": ${'9'.repeat(400)}}`,
    ) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => nested(depth, '[', ']')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => `{"prompt": ${nested(depth, '{"a":', '}')}}`) },
  { weight: 1, arbitrary: fc.constantFrom(...commandNames).map((name) => JSON.stringify({ prompt: name })) },
);

/** Random bytes, sent as a binary frame or as text with invalid UTF-8. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 0, maxLength: 300 });
