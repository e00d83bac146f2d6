// Screens that show synced data read it again when a background sync ends.

import { useEffect, useState } from "preact/hooks";
import { SYNC_FINISHED_EVENT } from "../api";

/** A number that grows each time a sync ends: put it in an effect's dependencies to re-read. */
export function useSyncCount(): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const onSynced = () => setCount((n) => n + 1);
    window.addEventListener(SYNC_FINISHED_EVENT, onSynced);
    return () => window.removeEventListener(SYNC_FINISHED_EVENT, onSynced);
  }, []);
  return count;
}
