// Package closetest is a fake Close API for tests and offline examples. It
// serves POST /api/v1/report/activity/ (JSON and CSV) and GET
// /api/v1/report/activity/metrics/, at its root and under BasePath alike (so
// srv.URL is a base URL, as with every fake), computing reports from deterministic
// synthetic activity for the requested range, users and metrics. It checks
// credentials, sends RateLimit headers, enforces a per-key rate limit with
// 429s, answers errors in Close's shapes, and injects faults on request.
//
//	srv := closetest.NewServer()
//	defer srv.Close()
//	c, _ := closeapi.NewClient(closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey(closetest.APIKey))
package closetest

import (
	"net/http"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Credentials the fake accepts.
const (
	// APIKey is accepted as the HTTP Basic user name (any password).
	APIKey = "api_closetest_5f3c9a1e7b2d4c6f8a0b"
	// AccessToken is accepted as an OAuth2 bearer token.
	AccessToken = "closetest_oauth_2b7e151628aed2a6abf7"
)

// SavedSearchID is the saved search the fake knows. A report limited to it
// counts half of each day's events (rounded down).
const SavedSearchID = "save_closetestHotLeads"

// BasePath is the path the fake serves the API under, as Close does.
const BasePath = "/api/v1"

// DefaultAnchor is the fake's "now" for relative ranges unless WithAnchor is
// given. Activity exists from January 1st two years before the anchor's year
// up to the anchor's day.
var DefaultAnchor = time.Date(2026, time.May, 15, 15, 30, 0, 0, time.UTC)

// Hints says which wait hints a rate-limited (429) answer carries.
type Hints int

// The hints; combine with |.
const (
	// HintRetryAfter sends Retry-After in whole seconds, rounded up.
	HintRetryAfter Hints = 1 << iota
	// HintRateLimitHeader sends "RateLimit: limit=L, remaining=0, reset=S"
	// with S fractional (the X-Rate-Limit-* headers under
	// WithLegacyRateLimitHeaders).
	HintRateLimitHeader
	// HintBody sends {"error": {"message": ..., "rate_reset": S, ...}};
	// without it the 429's body is {"error": {"message": ...}} alone.
	HintBody

	// AllHints is what Close sends: all three.
	AllHints = HintRetryAfter | HintRateLimitHeader | HintBody
)

// Option configures the fake.
type Option func(*config)

type config struct {
	users    int
	anchor   time.Time
	limit    int
	window   time.Duration
	hints    Hints
	shape    CatalogueShape
	tls      bool
	logLimit int

	legacyHeaders bool
}

// WithUsers sets the number of synthetic users (default 5, at most 10,000).
func WithUsers(n int) Option {
	return func(c *config) {
		if n >= 1 && n <= 10_000 {
			c.users = n
		}
	}
}

// WithAnchor sets the fake's "now" for relative ranges (default
// DefaultAnchor). Activity exists up to the anchor's UTC day.
func WithAnchor(t time.Time) Option {
	return func(c *config) {
		if !t.IsZero() {
			c.anchor = t.UTC()
		}
	}
}

// WithRateLimit allows limit requests per credential and endpoint group in
// each fixed window (default 100 per second); further requests get 429 until
// the window resets. As at Close, each endpoint group (the report POST, the
// metrics GET) has its own window. A limit of 0 turns the limit and the
// rate-limit headers off.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(c *config) {
		if limit >= 0 && window > 0 {
			c.limit, c.window = limit, window
		}
	}
}

// WithLegacyRateLimitHeaders makes the fake send the older revision's
// separate X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset
// headers instead of "RateLimit: limit=L, remaining=R, reset=S".
func WithLegacyRateLimitHeaders() Option { return func(c *config) { c.legacyHeaders = true } }

// WithRateLimitHints sets the wait hints a 429 carries (default AllHints).
func WithRateLimitHints(h Hints) Option { return func(c *config) { c.hints = h } }

// CatalogueShape is how the fake serves the metrics catalogue.
type CatalogueShape int

// The catalogue shapes.
const (
	// DataObjects is {"data": [{"key", "label", "description", "unit"}]}
	// (the default).
	DataObjects CatalogueShape = iota
	// BareObjects is a bare list of objects.
	BareObjects
	// DataStrings is {"data": ["key", ...]}.
	DataStrings
	// BareStrings is a bare list of keys.
	BareStrings
)

// WithCatalogueShape sets the metrics catalogue's shape.
func WithCatalogueShape(s CatalogueShape) Option { return func(c *config) { c.shape = s } }

// Server is the fake. Its URL field (srv.URL) is the base URL to pass to
// close.WithBaseURL: the fake serves Close's paths both at its root and under
// BasePath. Close it when done; see FailNext and FailRandomly for faults and
// Requests for what it received.
type Server struct {
	*fakeserver.Server

	cfg     config
	users   []User
	byID    map[string]int
	org     int64
	limiter *limiter
}

// NewServer starts the fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{users: 5, anchor: DefaultAnchor, limit: 100, window: time.Second, hints: AllHints}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{cfg: cfg, byID: map[string]int{}}
	s.users = make([]User, cfg.users)
	for i := range s.users {
		s.users[i] = userAt(i)
		s.byID[s.users[i].ID] = i
	}
	s.org = monthStart(cfg.anchor.Year()-2, time.January)
	if cfg.limit > 0 {
		s.limiter = newLimiter(cfg.limit, cfg.window)
	}
	s.Server = fakeserver.New(fakeserver.Config{
		Handler:  http.HandlerFunc(s.serve),
		Errors:   writeError,
		Auth:     checkAuth,
		TLS:      cfg.tls,
		LogLimit: cfg.logLimit,
		// The fake follows ../testdata/close-reporting.openapi.yaml.
		Contract: "close",
	})
	return s
}

// BaseURL returns srv.URL + BasePath ("/api/v1"), the shape of Close's own
// base URL.
//
// Deprecated: srv.URL is a base URL of the fake too, as with every
// activity-go fake; pass it to close.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + BasePath }

// Users returns the synthetic users, in index order.
func (s *Server) Users() []User { return append([]User(nil), s.users...) }

// Anchor returns the fake's "now".
func (s *Server) Anchor() time.Time { return s.cfg.anchor }

// DayValue returns a count or sum metric's value for one user on one UTC
// day, as the fake computes it (without a saved search), and false for an
// unknown user or metric or an average metric. Days outside the activity
// period are 0.
func (s *Server) DayValue(metric, userID string, day time.Time) (float64, bool) {
	m, ok := metricIndex[metric]
	u, uok := s.byID[userID]
	if !ok || !uok || m.avgOf[0] != "" {
		return 0, false
	}
	d := dayOf(day)
	if d < s.org || d > dayOf(s.cfg.anchor) {
		return 0, true
	}
	return cell(m, u, d, false), true
}

// checkAuth accepts Basic with APIKey as user name, or Bearer AccessToken.
func checkAuth(r *http.Request) bool {
	return credential(r) != ""
}

// credential returns the rate-limit key of a valid credential, "" when the
// request carries none.
func credential(r *http.Request) string {
	if user, _, ok := r.BasicAuth(); ok && fakeserver.Equal(user, APIKey) {
		return "key:" + user
	}
	h := r.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") && fakeserver.Equal(tok, AccessToken) {
		return "oauth:" + tok
	}
	return ""
}

// writeError answers in Close's shape: {"error": "message"}, or for 429
// {"error": {"message": ...}}.
func writeError(w http.ResponseWriter, _ *http.Request, status int, _ string, message string) {
	if status == http.StatusTooManyRequests {
		fakeserver.WriteJSON(w, status, map[string]any{"error": map[string]any{"message": message}})
		return
	}
	fakeserver.WriteJSON(w, status, map[string]any{"error": message})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs := fakeserver.Segments(r)
	if len(segs) >= 2 && "/"+segs[0]+"/"+segs[1] == BasePath {
		segs = segs[2:] // served under BasePath and at the root alike
	}
	var route func(http.ResponseWriter, *http.Request)
	allow := ""
	switch {
	case match(segs, "report", "activity"):
		route, allow = s.serveReport, http.MethodPost
	case match(segs, "report", "activity", "metrics"):
		route, allow = s.serveMetrics, http.MethodGet
	default:
		writeError(w, r, http.StatusNotFound, "", "Not found.")
		return
	}
	if r.Method != allow {
		w.Header().Set("Allow", allow)
		writeError(w, r, http.StatusMethodNotAllowed, "", "Method \""+r.Method+"\" not allowed.")
		return
	}
	if !strings.HasSuffix(r.URL.EscapedPath(), "/") {
		// Close's paths end in "/" and it redirects without one; a client
		// should never need that.
		writeError(w, r, http.StatusNotFound, "", "Not found (Close paths end with a slash).")
		return
	}
	if s.limiter != nil && !s.admit(w, r, allow+" "+strings.Join(segs[2:], "/")) {
		return
	}
	route(w, r)
}

func match(segs []string, pattern ...string) bool {
	_, ok := fakeserver.Match(segs, pattern...)
	return ok
}
