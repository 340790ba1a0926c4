// Command activity-export writes one provider's activity feed as JSON Lines
// or CSV and, run again (nightly, say), appends only what is new: every
// record exactly once across runs, late records included, even when a run is
// killed partway.
//
//	go install github.com/activitysdk/activity-go/cmd/activity-export@latest
//	activity-export -feed workiva-org -out activities.jsonl      # every night
//	activity-export -feed workiva-org -offline -out activities.jsonl -checkpoint activities.ckpt
//
// Without -offline it reads the real API with the credentials from the
// environment (WORKIVA_CLIENT_ID/SECRET, ACTIVTRAK_API_KEY, SDE_BASE_URL and
// SDE_API_TOKEN, CLOSE_API_KEY, ANALYTICS_API_TOKEN). With -offline it starts
// the provider's fake in-process (faults can be injected with -fault-rate;
// -offline-nights adds what later nights would have brought).
//
// The checkpoint file (default <out>.checkpoint) is written after each
// page, once the page's records are flushed and synced to the output file;
// it holds the SDK's checkpoint (Page.Checkpoint) and the output's length.
// The next run cuts the output back to that length (a page whose checkpoint
// never made it) and continues the feed from the SDK checkpoint: the event
// feeds (Workiva, SD Elements, the ActivTrak activity log and working hours)
// never end, so every run appends what arrived since. The one-request
// reports (Close, analytics) are written once and then say so. A non-empty
// -out without its checkpoint is never overwritten. -out may be a device or
// pipe (-out /dev/stdout); it then gets no checkpoint.
//
// Live progress goes to stderr when stderr is a terminal (golang.org/x/term);
// it counts requests, retries and waits from the SDK's event hook. A summary
// line is always printed at the end. Exit status: 0 done, 1 failure, 2
// usage, 130 interrupted (the checkpoint is valid: run again to resume).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

type config struct {
	feed, format, out, checkpointPath string
	offline                           bool
	offlineItems                      int
	faultRate                         float64
	faultSeed                         uint64
	latency                           time.Duration
	pageSize, readAhead               int
	retry                             workiva.RetryPolicy
	verbose, progress                 bool
	stream                            bool // -out is a device or pipe: no checkpoint
	offlineNights                     int

	org, workspace, filter, orderBy string
	from, to                        time.Time
	project                         int64
	metrics                         []string
	relRange                        string
	client, user, granularity       string
	device, app, metric             string

	logger *slog.Logger
	stats  *stats
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout io.Writer, stderr *os.File) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "activity-export:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = export(ctx, cfg, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "activity-export: interrupted; the checkpoint is valid, run the same command again to resume")
		return 130
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "activity-export:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	default:
		fmt.Fprintln(stderr, "activity-export:", err)
		return 1
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("activity-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var from, to, metrics string
	var maxRetries int
	fs.StringVar(&cfg.feed, "feed", "", "the feed to export (see -list)")
	list := fs.Bool("list", false, "list the feeds and exit")
	fs.StringVar(&cfg.format, "format", "jsonl", "output format: jsonl or csv")
	fs.StringVar(&cfg.out, "out", "", "output file (default stdout; resuming needs a file)")
	fs.StringVar(&cfg.checkpointPath, "checkpoint", "", "checkpoint file (default <out>.checkpoint when -out is set)")
	fs.BoolVar(&cfg.offline, "offline", false, "read the provider's in-process fake instead of the real API")
	fs.IntVar(&cfg.offlineItems, "offline-items", 5000, "records in the offline fake")
	fs.IntVar(&cfg.offlineNights, "offline-nights", 0, "offline: the fake also holds what this many later nights added (new records and late ones), to try the nightly pattern")
	fs.Float64Var(&cfg.faultRate, "fault-rate", 0, "offline: share of requests that fail (0..1) with 429, 5xx, drops, truncation")
	fs.Uint64Var(&cfg.faultSeed, "fault-seed", 1, "offline: seed of the injected faults")
	fs.DurationVar(&cfg.latency, "latency", 0, "offline: delay added to every answer")
	fs.IntVar(&cfg.pageSize, "page-size", 0, "records per page (0: the provider's default)")
	fs.IntVar(&cfg.readAhead, "read-ahead", 1, "pages fetched ahead while the current one is written (0..16)")
	fs.IntVar(&maxRetries, "max-retries", 6, "retries per request")
	fs.BoolVar(&cfg.verbose, "v", false, "log the SDK's request, retry and wait events to stderr")
	fs.BoolVar(&cfg.progress, "progress", true, "live progress on stderr when it is a terminal")
	fs.StringVar(&cfg.org, "org", "", "Workiva organization id")
	fs.StringVar(&cfg.workspace, "workspace", "", "Workiva workspace id")
	fs.StringVar(&cfg.filter, "filter", "", "Workiva $filter expression")
	fs.StringVar(&cfg.orderBy, "order-by", "", "Workiva $orderBy (activityDateTime asc|desc)")
	fs.StringVar(&from, "from", "", "start date or time (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&to, "to", "", "end date or time (YYYY-MM-DD or RFC 3339)")
	fs.Int64Var(&cfg.project, "project", 0, "SD Elements project id")
	fs.StringVar(&metrics, "metrics", "calls.outbound.all.count,emails.sent.all.count", "Close metrics, comma-separated")
	fs.StringVar(&cfg.relRange, "range", "", "Close relative range (this-month, last-week, ...)")
	fs.StringVar(&cfg.client, "client", "", "analytics client id (UUID)")
	fs.StringVar(&cfg.user, "user", "", "analytics user id (UUID)")
	fs.StringVar(&cfg.granularity, "granularity", "daily", "analytics granularity")
	fs.StringVar(&cfg.device, "device", "", "analytics device id (UUID)")
	fs.StringVar(&cfg.app, "app", "", "analytics app id (UUID)")
	fs.StringVar(&cfg.metric, "metric", "", "analytics metric (default: the endpoint's first: activity-count, or active-time for apps)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *list {
		for _, f := range feeds {
			fmt.Fprintf(stderr, "%-26s %s\n", f.name, f.desc)
		}
		return nil, flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if _, err := findFeed(cfg.feed); err != nil {
		return nil, err
	}
	if cfg.format != "jsonl" && cfg.format != "csv" {
		return nil, fmt.Errorf("-format must be jsonl or csv, not %q", cfg.format)
	}
	var err error
	if cfg.from, err = parseWhen(from); err != nil {
		return nil, fmt.Errorf("-from: %w", err)
	}
	if cfg.to, err = parseWhen(to); err != nil {
		return nil, fmt.Errorf("-to: %w", err)
	}
	for _, m := range strings.Split(metrics, ",") {
		if m = strings.TrimSpace(m); m != "" {
			cfg.metrics = append(cfg.metrics, m)
		}
	}
	if fi, err := os.Stat(cfg.out); cfg.out != "" && err == nil && !fi.Mode().IsRegular() {
		// A device or a pipe, such as /dev/stdout: it cannot be cut back to
		// a checkpoint, so it gets none.
		cfg.stream = true
		if cfg.checkpointPath != "" {
			return nil, fmt.Errorf("-checkpoint needs -out to be a regular file (%s is not): a resume cuts the output back to the checkpoint", cfg.out)
		}
	}
	if cfg.checkpointPath == "" && cfg.out != "" && !cfg.stream {
		cfg.checkpointPath = cfg.out + ".checkpoint"
	}
	if strings.HasPrefix(cfg.feed, "workiva") && strings.Contains(strings.ToLower(cfg.orderBy), "desc") {
		return nil, errors.New("-order-by: a Workiva feed continues in ascending activityDateTime; leave -order-by empty or use \"activityDateTime asc\"")
	}
	if cfg.offlineNights < 0 || (cfg.offlineNights > 0 && !cfg.offline) {
		return nil, errors.New("-offline-nights needs -offline and must be 0 or more")
	}
	if cfg.checkpointPath != "" && cfg.out == "" {
		return nil, errors.New("-checkpoint needs -out: a resume truncates the output file to the last checkpoint")
	}
	if cfg.faultRate < 0 || cfg.faultRate > 1 {
		return nil, fmt.Errorf("-fault-rate must be between 0 and 1")
	}
	if (cfg.faultRate > 0 || cfg.latency > 0) && !cfg.offline {
		return nil, errors.New("-fault-rate and -latency only apply with -offline")
	}
	if maxRetries < 0 {
		return nil, errors.New("-max-retries must be 0 or more")
	}
	cfg.retry = workiva.RetryPolicy{MaxRetries: maxRetries, MinBackoff: 200 * time.Millisecond, MaxBackoff: 20 * time.Second}
	if cfg.offline {
		// The fakes ask for short waits; keep offline runs quick.
		cfg.retry.MinBackoff, cfg.retry.MaxBackoff = 5*time.Millisecond, 50*time.Millisecond
	}
	return cfg, nil
}

func parseWhen(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// injectFaults turns on the offline fault options for a fake.
func (cfg *config) injectFaults(failRandomly func(rate float64, seed uint64, faults ...workivatest.Fault)) {
	switch {
	case cfg.faultRate > 0 && cfg.latency > 0:
		// Every answer is either a fault (with probability faultRate) or
		// slowed by latency: fill the pool with slow entries in proportion.
		faults := workivatest.AllFaults(20*time.Millisecond, 30*time.Millisecond)
		slow := int(float64(len(faults))*(1-cfg.faultRate)/cfg.faultRate + 0.5)
		for i := 0; i < slow; i++ {
			faults = append(faults, workivatest.Fault{Kind: workivatest.Slow, Delay: cfg.latency})
		}
		failRandomly(1, cfg.faultSeed, faults...)
	case cfg.faultRate > 0:
		failRandomly(cfg.faultRate, cfg.faultSeed, workivatest.AllFaults(20*time.Millisecond, 30*time.Millisecond)...)
	case cfg.latency > 0:
		failRandomly(1, cfg.faultSeed, workivatest.Fault{Kind: workivatest.Slow, Delay: cfg.latency})
	}
}
