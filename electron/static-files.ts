// Resolves a request path to a file of the renderer build, for both hosts (Electron's app://
// protocol and serve mode). A path that escapes the build folder, a hidden file or a folder
// resolves to nothing, so neither host can be asked for a file outside dist/renderer.
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** The file inside `root` that `urlPath` names ("/" is index.html), or null. */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return null;
  const rootResolved = path.resolve(root);
  const candidate = path.resolve(rootResolved, relative);
  if (!candidate.startsWith(rootResolved + path.sep)) return null;
  try {
    const [realRoot, realCandidate] = await Promise.all([fs.realpath(rootResolved), fs.realpath(candidate)]);
    if (!realCandidate.startsWith(realRoot + path.sep)) return null;
    const stat = await fs.stat(realCandidate);
    return stat.isFile() ? realCandidate : null;
  } catch {
    return null;
  }
}
