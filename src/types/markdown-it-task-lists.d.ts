// markdown-it-task-lists ships no types. A plugin takes the markdown-it instance (any will
// do, so this file needs no import of markdown-it's ESM-only types) and its options.
declare module 'markdown-it-task-lists' {
  const taskLists: (md: unknown, options?: { enabled?: boolean; label?: boolean; labelAfter?: boolean }) => void;
  export default taskLists;
}
