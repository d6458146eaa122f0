// units.js: unit types in the order people expect them
export const UNIT_TYPES = ['organ', 'institution', 'soe', 'nonpublic', 'social', 'other'];
