// The entry of the console's lazily loaded .xlsx chunk (bundle-names.ts): the one
// builder the CLI uses too, with exceljs's browser build.
export { reportXlsx } from '../client/report-xlsx.js';
