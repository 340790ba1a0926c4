package main

import (
	"context"
	"errors"
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
	cfg.stats = st
	var next slog.Handler = slog.NewTextHandler(io.Discard, nil)
	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelDebug
	}
	next = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	cfg.logger = slog.New(countingHandler{st: st, next: next})

	f, _ := findFeed(cfg.feed)
	key := cfg.feedKey()

	cp := &checkpoint{Version: checkpointVersion, Feed: key, Format: cfg.format, Output: cfg.out}
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
				fmt.Fprintf(stderr, "%s: already complete (%d items, %d pages); remove %s to export again\n",
					cfg.feed, saved.Items, saved.Pages, cfg.checkpointPath)
				return nil
			}
			cp = saved
		}
	}

	var out io.Writer = stdout
	var file *os.File
	if cfg.out != "" {
		var err error
		file, err = os.OpenFile(cfg.out, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return err
		}
		defer file.Close()
		// Cut anything written after the last checkpoint (a page whose
		// checkpoint never made it), then append.
		if err := file.Truncate(cp.Offset); err != nil {
			return err
		}
		if _, err := file.Seek(cp.Offset, io.SeekStart); err != nil {
			return err
		}
		out = file
	}

	src, err := f.open(cfg)
	if err != nil {
		return err
	}
	defer src.close()
	rw, err := newRecordWriter(out, cfg.format, src.columns, cp.Header)
	if err != nil {
		return err
	}

	prog := startProgress(stderr, st, cfg.feed, cfg.progress && isTerminal(stderr))
	defer prog.stop()
	st.items.Store(cp.Items)
	st.pages.Store(cp.Pages)
	resumedItems := cp.Items

	finished := false
	for pg, err := range src.pages(ctx, cp.Token) {
		if err != nil {
			prog.stop()
			return fmt.Errorf("after %d items: %w", cp.Items, err)
		}
		for _, r := range pg.records {
			if err := rw.write(r); err != nil {
				return err
			}
		}
		if err := rw.flush(); err != nil {
			return err
		}
		if file != nil {
			if err := file.Sync(); err != nil {
				return err
			}
		}
		cp.Offset += rw.written
		rw.written = 0
		cp.Items += int64(len(pg.records))
		cp.Pages++
		cp.Header = rw.header
		if pg.next != "" {
			cp.Token = portableToken(pg.next)
		} else if !src.cursor {
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
		if ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		prog.stop()
		return ctx.Err()
	}
	finished = true
	if !src.cursor && !cp.Done {
		// The feed ended without yielding a page (an empty feed, or a resume
		// from a token whose page was the last).
		cp.Done, cp.Token = true, ""
		if cfg.checkpointPath != "" {
			if err := cp.save(cfg.checkpointPath); err != nil {
				return fmt.Errorf("writing checkpoint: %w", err)
			}
		}
	}
	prog.stop()
	state := "complete"
	if src.cursor {
		state = "caught up (run again to export what arrives later)"
	}
	if resumedItems > 0 {
		state += fmt.Sprintf(", resumed after %d items", resumedItems)
	}
	if !finished {
		return errors.New("export stopped early")
	}
	fmt.Fprintf(stderr, "%s; %s\n", st.line(cfg.feed), state)
	return nil
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
