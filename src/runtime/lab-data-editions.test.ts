import { describe, expect, it } from 'vitest';
import { getLabData, LABS_PLUGIN_NAME, type LabPageData } from './lab-data';

const lab = (id: string, title: string) => ({ id, title }) as LabPageData;
const globalData = {
  [LABS_PLUGIN_NAME]: {
    default: { labs: { '02-lb': lab('02-lb', 'now') }, editions: { v1: { '02-lb': lab('02-lb', 'as in v1') } } },
  },
};

describe("getLabData in a course edition", () => {
  it("gives the course's lab to the course, and the edition's frozen lab to the edition", () => {
    expect(getLabData(globalData, '02-lb').title).toBe('now');
    expect(getLabData(globalData, '02-lb', 'current').title).toBe('now');
    expect(getLabData(globalData, '02-lb', 'v1').title).toBe('as in v1');
  });

  it("names the edition's lab folder when the edition has no such lab", () => {
    expect(() => getLabData(globalData, '03-web', 'v1')).toThrow('folder versioned_labs/version-v1/03-web/ does not exist. The labs are: 02-lb');
    expect(() => getLabData(globalData, '02-lb', 'v2')).toThrow('The course edition "v2" has no labs: versioned_labs/version-v2/ is missing.');
  });
});
