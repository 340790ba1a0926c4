package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// checkpoint is what an export stores after every page it has written,
// flushed and synced: where the output ends and where the feed continues.
// Resuming truncates the output back to Offset and continues from SDK (an
// event feed: the SDK's Page.Checkpoint) or Token (a one-request report), so
// a record is never lost (its page is only checkpointed after it is on disk)
// and never repeated (anything written after the last checkpoint is cut off,
// and the SDK checkpoint continues right after the last page written). An
// event feed is never done: every later run appends what arrived since.
type checkpoint struct {
	Version int    `json:"version"`
	Feed    string `json:"feed"`                     // the source and its parameters; a resume must match
	SDK     string `json:"sdk_checkpoint,omitempty"` // event feeds: the last page's Page.Checkpoint
	Token   string `json:"token,omitempty"`          // reports: the next page token ("" with Done: finished)
	Offset  int64  `json:"offset"`                   // bytes of output written up to and including the last page
	Items   int64  `json:"items"`                    // records written so far
	Pages   int64  `json:"pages"`                    // pages written so far
	Done    bool   `json:"done"`                     // a report was written whole (event feeds are never done)
	Header  bool   `json:"header"`                   // a CSV header was written
	Format  string `json:"format"`                   // jsonl or csv
	Output  string `json:"output"`                   // the output file
	Updated string `json:"updated"`                  // RFC 3339 time of the last write
}

// checkpointVersion 2: event feeds continue with the SDK's checkpoint (1
// held their page token and ended when the walk did).
const checkpointVersion = 2

// loadCheckpoint reads path; a missing file is (nil, nil).
func loadCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s is not valid JSON: %w", path, err)
	}
	if cp.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint %s has version %d, want %d (version 1 was written by the export before it continued feeds with the SDK checkpoint: finish it with that version, or remove the checkpoint and its output to start again)",
			path, cp.Version, checkpointVersion)
	}
	return &cp, nil
}

// save writes the checkpoint atomically: a temporary file in the same
// directory, synced, then renamed over the old one.
func (cp *checkpoint) save(path string) error {
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".checkpoint-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable where the OS allows it
		d.Close()
	}
	return nil
}
