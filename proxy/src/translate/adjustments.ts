// Short notes of what was changed to fit the model. They travel in one response header joined by "; ", so each
// is a single ASCII line without semicolons; the same note is kept once.
export class Adjustments {
  private readonly notes: string[] = [];

  add(note: string): void {
    const line = note.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').replace(/;/g, ',').trim();
    if (line !== '' && !this.notes.includes(line)) this.notes.push(line);
  }

  list(): string[] {
    return [...this.notes];
  }
}
