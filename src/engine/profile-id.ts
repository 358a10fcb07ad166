/** Profile ids name a player's state in the database and in access tokens. */
const PROFILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const PROFILE_ID_RULE = 'profile ids are 1 to 64 letters, digits, _ or -';

export const DEFAULT_PROFILE_ID = 'default';

export const isValidProfileId = (id: string): boolean => PROFILE_ID_PATTERN.test(id);
