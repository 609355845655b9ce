// The server's data folder holds password hashes, private signing keys and the provider's
// sessions: owner only. The modes are set on every start, not only when the folder is created,
// so a folder made by hand, restored from a backup or loosened by an old version is tightened
// again (issue 9, item 8). Windows has no POSIX modes; chmod there only toggles read-only.
import fs from 'node:fs';

export const DATA_FOLDER_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/** Creates `dataDir` if needed and sets it to 0700. */
export function secureDataFolder(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: DATA_FOLDER_MODE });
  if (process.platform !== 'win32') fs.chmodSync(dataDir, DATA_FOLDER_MODE);
}

/** Sets the database file and its WAL and shared-memory companions, where they exist, to 0600. */
export function secureDataFiles(dbFile: string): void {
  if (process.platform === 'win32') return;
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
    try {
      fs.chmodSync(file, DATA_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
