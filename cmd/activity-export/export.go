package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"time"
)

// export runs one export from its checkpoint (if any) to the end of the feed.
func export(ctx context.Context, cfg *config, stdout io.Writer, stderr *os.File) error {
	st := &stats{start: time.Now()}
	st.total.Store(-1)
	cfg.stats = st
	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelDebug
	}
	cfg.logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	f, _ := findFeed(cfg.feed)
	key := cfg.feedKey()

	cp := &checkpoint{Version: checkpointVersion, Feed: key, Format: cfg.format, Output: cfg.out}
	resumed := false
	if cfg.checkpointPath != "" {
		saved, err := loadCheckpoint(cfg.checkpointPath)
		if err != nil {
			return err
		}
		if saved != nil {
			if saved.Feed != key || saved.Format != cfg.format {
				return fmt.Errorf("%w: checkpoint %s belongs to another export (%s, %s); remove it or use another -checkpoint",
					errUsage, cfg.checkpointPath, saved.Feed, saved.Format)
			}
			if saved.Done {
				fmt.Fprintf(stderr, "%s: already complete (%d items, %d pages); remove %s and %s to export again\n",
					cfg.feed, saved.Items, saved.Pages, cfg.out, cfg.checkpointPath)
				return nil
			}
			cp, resumed = saved, true
		}
	}

	src, err := f.open(cfg)
	if err != nil {
		return err
	}
	defer src.close()

	var out io.Writer = stdout
	var file *os.File
	if cfg.out != "" && cfg.stream {
		// A device or pipe (-out /dev/stdout): written as is, never cut.
		if file, err = os.OpenFile(cfg.out, os.O_WRONLY, 0); err != nil {
			return err
		}
		defer file.Close()
		out = file
	} else if cfg.out != "" {
		file, err = openOutput(cfg, cp.Offset, !resumed)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
		if !resumed {
			// From here on the output has a checkpoint, even when the
			// first page's never makes it.
			if err := cp.save(cfg.checkpointPath); err != nil {
				return fmt.Errorf("writing checkpoint: %w", err)
			}
		}
	}

	rw, err := newRecordWriter(out, cfg.format, src.columns, cp.Header)
	if err != nil {
		return err
	}

	prog := startProgress(stderr, st, cfg.feed, cfg.progress && isTerminal(stderr))
	defer prog.stop()
	st.items.Store(cp.Items)
	st.pages.Store(cp.Pages)
	resumedItems := cp.Items

	// durable flushes what was written, syncs the file and moves the
	// checkpoint's offset past it; the checkpoint itself is saved after.
	durable := func() error {
		if err := rw.flush(); err != nil {
			return err
		}
		if file != nil && !cfg.stream {
			if err := file.Sync(); err != nil {
				return err
			}
		}
		cp.Offset += rw.written
		rw.written = 0
		cp.Header = rw.header
		return nil
	}

	state := cp.Token
	if src.event {
		state = cp.SDK
	}
	for pg, err := range src.pages(ctx, state) {
		if err != nil {
			return fmt.Errorf("after %d items: %w", cp.Items, err)
		}
		for _, r := range pg.records {
			if err := rw.write(r); err != nil {
				return err
			}
		}
		if err := durable(); err != nil {
			return err
		}
		cp.Items += int64(len(pg.records))
		cp.Pages++
		switch {
		case src.event:
			// The records are on disk: now the SDK checkpoint after them.
			cp.SDK = pg.checkpoint
		case pg.next != "":
			cp.Token = portableToken(pg.next)
		default:
			cp.Token, cp.Done = "", true
		}
		cp.Updated = time.Now().UTC().Format(time.RFC3339)
		if cfg.checkpointPath != "" {
			if err := cp.save(cfg.checkpointPath); err != nil {
				return fmt.Errorf("writing checkpoint: %w", err)
			}
		}
		st.items.Store(cp.Items)
		st.pages.Store(cp.Pages)
		if pg.total != nil {
			st.total.Store(int64(*pg.total))
		}
		if ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	changed := false
	if !rw.header && cfg.format == "csv" {
		// No record was written: the CSV output still gets its header line,
		// so that it is a valid, empty table.
		if err := rw.writeHeader(); err != nil {
			return err
		}
		if err := durable(); err != nil {
			return err
		}
		changed = true
	}
	if !src.event && !cp.Done {
		// The feed ended without yielding a page (an empty feed, or a resume
		// from a token whose page was the last).
		cp.Done, cp.Token, changed = true, "", true
	}
	if changed && cfg.checkpointPath != "" {
		if err := cp.save(cfg.checkpointPath); err != nil {
			return fmt.Errorf("writing checkpoint: %w", err)
		}
	}
	prog.stop()
	how := "complete"
	if src.event {
		how = "caught up (run again to export what arrives later)"
	}
	if resumedItems > 0 {
		how += fmt.Sprintf(", resumed after %d items", resumedItems)
	}
	fmt.Fprintf(stderr, "%s; %s\n", st.line(cfg.feed), how)
	return nil
}

// openOutput opens the output file for an export whose checkpoint says
// offset bytes of it are done, and cuts anything
// written after that (a page whose checkpoint never made it). It refuses a
// file that holds less than the checkpoint says (extending it would write
// zeros into the output) and, for a fresh export, a non-empty file (another
// export's output, or one whose checkpoint is elsewhere). A fresh export's
// first checkpoint is saved before anything is written, so a non-empty
// output without a checkpoint is never this command's own interrupted run.
func openOutput(cfg *config, offset int64, fresh bool) (*os.File, error) {
	file, err := os.OpenFile(cfg.out, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := file.Stat()
	switch {
	case err != nil:
	case fi.Size() < offset:
		err = fmt.Errorf("%s holds %d bytes, less than the %d its checkpoint %s says were written; remove both to start over",
			cfg.out, fi.Size(), offset, cfg.checkpointPath)
	case fresh && fi.Size() > 0:
		err = fmt.Errorf("%w: %s is not empty and has no checkpoint at %s; remove it or choose another -out",
			errUsage, cfg.out, cfg.checkpointPath)
	default:
		if err = file.Truncate(offset); err == nil {
			_, err = file.Seek(offset, io.SeekStart)
		}
	}
	if err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}

// portableToken stores a next-page link without its origin. The SDK only
// hands out links on the client's own host (it refuses any other), and it
// resolves a token that starts with "/" against its base URL, so the
// checkpoint stays valid when the host's address changes (another alias of
// the same API, or an offline fake on a new port). Opaque tokens are kept.
func portableToken(tok string) string {
	u, err := url.Parse(tok)
	if err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return tok
	}
	return u.RequestURI()
}
