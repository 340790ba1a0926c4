// Package activtraktest is an in-memory fake of the ActivTrak Live Data API
// for tests and offline examples: it serves GET /reports/v2/workinghours/users,
// /reports/v2/workinghours/computers and /reports/v2/activitylog with
// deterministic synthetic data over a date range, pages exactly as the API
// documents (page numbers with a total; cursors that come back unchanged when
// nothing is new), checks the Bearer key and the one-of rule on userId,
// groupId and computerId, can receive late records while a client follows
// the log, and injects faults on request.
//
//	srv := activtraktest.NewServer(activtraktest.WithDays(3))
//	defer srv.Close()
//	c, _ := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
//
// Records are computed from their index, not stored, so a fake with a million
// log records costs no more memory than one with ten. Between two runs of a
// feed, Append adds activity-log records with the dates you choose (late
// ones included) and AppendWorkingHours adds working-hours rows to a day, for
// testing code that continues a feed from a checkpoint.
package activtraktest

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// APIKey is the API key the fake accepts by default, sent as
// "Authorization: Bearer activtrak-test-key".
const APIKey = "activtrak-test-key"

// DefaultStartDate is the first day of the synthetic data: Monday 3 June 2024.
var DefaultStartDate = time.Date(2024, time.June, 3, 0, 0, 0, 0, time.UTC)

// Option configures NewServer.
type Option func(*config)

type config struct {
	key      string
	start    time.Time
	days     int
	users    int
	groups   int
	perDay   int
	today    time.Time
	logLimit int
	tls      bool
	todaySet bool
	// earlyAccess selects the early-access contract (WithEarlyAccess).
	earlyAccess bool
}

// WithAPIKey makes the fake accept key instead of APIKey.
func WithAPIKey(key string) Option { return func(c *config) { c.key = key } }

// WithStartDate sets the first day of the data (its calendar date is used);
// the default is DefaultStartDate.
func WithStartDate(t time.Time) Option {
	return func(c *config) { c.start = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
}

// WithDays sets how many days of data there are (default 7, at least 1).
func WithDays(n int) Option { return func(c *config) { c.days = max(n, 1) } }

// WithUsers sets how many users there are (default 5, at least 1). User u
// (0-based) has id 1001+u, login "user%02d" of u+1 and works on computer
// 2001+u ("PC-%03d" of u+1).
func WithUsers(n int) Option { return func(c *config) { c.users = max(n, 1) } }

// WithGroups sets how many groups there are (default 2, at least 1). User u
// is in group u mod n, whose id is 301+(u mod n).
func WithGroups(n int) Option { return func(c *config) { c.groups = max(n, 1) } }

// WithRecordsPerDay sets how many activity-log records each day has (default
// 24, at least 0). The log holds days*perDay generated records.
func WithRecordsPerDay(n int) Option { return func(c *config) { c.perDay = max(n, 0) } }

// WithToday sets the day the API takes as today when a request has no
// startDate; the default is the last day of the data.
func WithToday(t time.Time) Option {
	return func(c *config) {
		c.today = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		c.todaySet = true
	}
}

// WithEarlyAccess makes the fake follow the early-access contract (the one
// activtrak.WithEarlyAccess selects): the key as "Authorization: Bearer
// <key>", filters userId, groupId, computerId on every report, log records
// stamped "date", working-hours ids "userid"/"computerid". Without it the
// fake follows the current public contract: the key in "x-api-key" (Bearer
// alone is refused with 401), filters clientId and groupId (users), deviceId
// and groupId (computers), clientId, deviceId, groupId, minDuration and
// maxDuration (activity log); the other contract's names are refused with
// 400; records carry time, time_utc, time_zone and the newer fields.
func WithEarlyAccess() Option { return func(c *config) { c.earlyAccess = true } }

// Server is the fake. Its URL field (srv.URL) is the base URL to pass to
// activtrak.WithBaseURL. Close it when done; see FailNext and FailRandomly
// for faults and Requests for what it received.
type Server struct {
	*fakeserver.Server
	cfg config

	mu        sync.Mutex
	late      []LogRecord
	extraRows map[int]int // day index -> rows appended by AppendWorkingHours
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{key: APIKey, start: DefaultStartDate, days: 7, users: 5, groups: 2, perDay: 24}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if !cfg.todaySet {
		cfg.today = cfg.start.AddDate(0, 0, cfg.days-1)
	}
	s := &Server{cfg: cfg}
	auth := func(r *http.Request) bool {
		k := r.Header.Get("x-api-key")
		return k != "" && fakeserver.Equal(k, cfg.key)
	}
	contract := "activtrak"
	if cfg.earlyAccess {
		auth = fakeserver.CheckBearer(func(t string) bool { return fakeserver.Equal(t, cfg.key) })
		contract = "activtrak-early-access"
	}
	s.Server = fakeserver.New(fakeserver.Config{
		Handler:  http.HandlerFunc(s.route),
		Errors:   writeError,
		Auth:     auth,
		LogLimit: cfg.logLimit,
		TLS:      cfg.tls,
		Contract: contract,
	})
	return s
}

// StartDate returns the first day of the data.
func (s *Server) StartDate() time.Time { return s.cfg.start }

// EndDate returns the last day of the data.
func (s *Server) EndDate() time.Time { return s.cfg.start.AddDate(0, 0, s.cfg.days-1) }

// Today returns the day taken as today when a request has no startDate.
func (s *Server) Today() time.Time { return s.cfg.today }

// writeError answers in ActivTrak's error shape:
// {"messages": ["..."], "success": false}.
func writeError(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
	fakeserver.WriteJSON(w, status, map[string]any{"messages": []string{message}, "success": false})
}

// answer writes body, or err in ActivTrak's error shape: 400 for a
// badRequest, 500 for anything else.
func answer(w http.ResponseWriter, r *http.Request, body any, err error) {
	var br badRequest
	switch {
	case errors.As(err, &br):
		writeError(w, r, http.StatusBadRequest, "", br.Error())
	case err != nil:
		writeError(w, r, http.StatusInternalServerError, "", err.Error())
	default:
		fakeserver.WriteJSON(w, http.StatusOK, body)
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	segs := fakeserver.Segments(r)
	var serve func(http.ResponseWriter, *http.Request)
	if v, ok := fakeserver.Match(segs, "reports", "v2", "workinghours", "{}"); ok && (v[0] == "users" || v[0] == "computers") {
		perspective := v[0]
		serve = func(w http.ResponseWriter, r *http.Request) { s.serveWorkingHours(w, r, perspective) }
	} else if _, ok := fakeserver.Match(segs, "reports", "v2", "activitylog"); ok {
		serve = s.serveActivityLog
	}
	if serve == nil {
		writeError(w, r, http.StatusNotFound, "", fmt.Sprintf("No resource at %s", r.URL.EscapedPath()))
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, r, http.StatusMethodNotAllowed, "", "The requested resource does not support http method '"+r.Method+"'.")
		return
	}
	serve(w, r)
}
