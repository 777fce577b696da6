/** The part of mark.js (which ships no types) that src/client/search-marks.ts uses. */
declare module 'mark.js/dist/mark.es6.js' {
  type Context = Element | Document | NodeList | Element[] | string;
  export default class Mark {
    constructor(context: Context);
    unmark(options?: object): this;
  }
}
