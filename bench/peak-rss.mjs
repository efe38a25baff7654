// node --import ./bench/peak-rss.mjs …: on exit, writes the process's peak RSS (MB) to the
// file named by PEAK_RSS_FILE, so a bench can measure a real command as a user runs it.
import { writeFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(Math.round(process.resourceUsage().maxRSS / 1024))));
