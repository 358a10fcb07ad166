/**
 * Synthetic but realistic-looking text for the large-scale benchmarks: lore chunks of ~800
 * characters, memories of ~250, player prompts and narrator replies. A few hundred common
 * words plus thousands of invented names with a skewed (Zipf-like) frequency, so the index has
 * both huge posting lists ("castle", "river") and rare terms, as a real campaign does.
 */
import { seededRandom } from '../src/engine/testing/fakes.ts';
import type { RandomSource } from '../src/engine/ports.ts';

const NOUNS = (
  'castle tower harbour river bridge gate vault chapel forest marsh mountain valley village city road ship ' +
  'sword shield crown ring key lantern bell map letter book scroll coin silver gold iron stone glass salt ' +
  'wine bread horse wolf raven serpent dragon king queen lord lady knight priest witch merchant sailor thief ' +
  'guard captain smith miller hunter bard scholar healer oath debt war peace storm winter summer spring ' +
  'autumn night dawn dusk fire water wind earth blood bone ash smoke fog rain snow ice tide reef island ' +
  'shore cliff cave mine well altar shrine tomb temple library market tavern inn mill forge garden orchard ' +
  'field wall door stair hall throne council guild order army fleet banner treaty law tax toll feast festival ' +
  'prophecy curse relic amulet potion herb poison song legend rumour secret prisoner hostage heir bastard'
).split(' ');
const ADJECTIVES = (
  'old ancient broken hidden sacred cursed silent golden silver black white red grey green crimson pale ' +
  'northern southern eastern western high low deep drowned burning frozen forgotten lost royal stolen ' +
  'haunted ruined distant secret bitter loyal treacherous wealthy poor young elder blind wounded'
).split(' ');
const VERBS = (
  'guarded built burned betrayed crossed founded ruled defended sealed opened stole hid found lost sold ' +
  'bought forged carried buried raised destroyed besieged blessed cursed married killed crowned exiled ' +
  'rescued sheltered mapped named claimed abandoned restored'
).split(' ');
const SYLLABLES = (
  'al an ar bel bor cal dar del dor el en fen gal gar hal har il ir kal kar lan lor mar mor nal nor ' +
  'or os pel quel ral ren sar sel tal tor ul ur val vor wen yr zan zor ash bri cor dun eth fal'
).split(' ');

export const makeRandom = (seed: number): RandomSource => seededRandom(seed);

const pick = <T>(rng: RandomSource, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)] as T;
/** Skewed towards the start of the list: a few names are everywhere, most are rare. */
const pickSkewed = <T>(rng: RandomSource, items: readonly T[]): T =>
  items[Math.floor(rng.next() ** 3 * items.length)] as T;
const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

export function makeNames(count: number, seed = 7): string[] {
  const rng = makeRandom(seed);
  const names = new Set<string>();
  while (names.size < count) {
    const parts = 2 + Math.floor(rng.next() * 2);
    names.add(capital(Array.from({ length: parts }, () => pick(rng, SYLLABLES)).join('')));
  }
  return [...names];
}

export class Corpus {
  private readonly rng: RandomSource;

  constructor(
    seed: number,
    readonly names: readonly string[] = makeNames(20_000),
  ) {
    this.rng = makeRandom(seed);
  }

  private name(): string {
    return pickSkewed(this.rng, this.names);
  }

  sentence(): string {
    const r = this.rng;
    const year = 100 + Math.floor(r.next() * 700);
    const forms = [
      () => `${this.name()} ${pick(r, VERBS)} the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} of ${this.name()} in the year ${year}.`,
      () => `The ${pick(r, NOUNS)} of ${this.name()} was ${pick(r, VERBS)} by the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} ${this.name()}.`,
      () => `In ${this.name()}, people say the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} still keeps the ${pick(r, NOUNS)} of ${this.name()}.`,
      () => `${this.name()} and ${this.name()} ${pick(r, VERBS)} a ${pick(r, NOUNS)} near the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)}.`,
    ];
    return pick(r, forms)();
  }

  /** Sentences up to about `chars` characters. */
  text(chars: number): string {
    let text = '';
    while (text.length < chars) text = text === '' ? this.sentence() : `${text} ${this.sentence()}`;
    return text;
  }

  loreChunk(): string {
    return this.text(780);
  }

  memory(): string {
    return `${this.name()} told the party that ${this.text(200)}`;
  }

  prompt(): string {
    const r = this.rng;
    const forms = [
      () => `I ask ${this.name()} about the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} of ${this.name()}.`,
      () => `We ride to ${this.name()} and look for the ${pick(r, NOUNS)} that was ${pick(r, VERBS)}.`,
      () => `"What do you know about the ${pick(r, NOUNS)} ${this.name()} ${pick(r, VERBS)}?" I say to the ${pick(r, NOUNS)}.`,
      () => `I search the ${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} for the ${pick(r, NOUNS)} of ${this.name()}, keeping an eye on the door.`,
    ];
    return pick(r, forms)();
  }

  reply(): string {
    return this.text(700);
  }
}
