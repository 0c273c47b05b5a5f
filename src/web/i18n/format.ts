// Days and sizes as the page and the staff console show them: a Vietnamese reader sees
// dd/mm/yyyy, an English one the ISO day; sizes in binary units.

export function formatDayIn(lang: 'vi' | 'en', isoDay: string): string {
  const [y, m, d] = isoDay.slice(0, 10).split('-');
  if (!y || !m || !d) return isoDay;
  return lang === 'vi' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
