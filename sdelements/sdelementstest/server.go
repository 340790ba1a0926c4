// Package sdelementstest is a fake SD Elements instance for tests: it serves
// GET /api/v2/activities/ and GET /api/v2/activities/{id}/ over loopback
// HTTP with deterministic synthetic activities, filters on every documented
// parameter, pages like Django REST Framework (count, next, previous, page,
// page_size), checks "Authorization: Token <Token>", answers errors in DRF's
// shape, and injects faults on request.
//
//	srv := sdelementstest.NewServer(sdelementstest.WithActivities(1000))
//	defer srv.Close()
//	c, _ := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
//
// Activities are generated from their id, so a server with a million of them
// costs no memory; ids run from 1 to the count, dates increase with the id
// (one per Interval from the epoch) and lists are served newest first.
// AppendActivities records more activities with dates you choose (late ones
// included: they get the next ids, like the instance numbers them) between
// two runs of a feed, for testing code that continues it from a checkpoint.
package sdelementstest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Token is the API token the fake accepts unless WithToken sets another.
const Token = "sdetest-token-7f3a9c1e5b"

// DefaultActivities is the number of activities served unless WithActivities
// says otherwise.
const DefaultActivities = 250

// DefaultPageSize is the fake's page size when page_size is missing or not
// a positive number (as in DRF). SD Elements documents no maximum, so the
// fake serves any positive page_size in full unless WithPageSizes sets a cap.
const DefaultPageSize = 25

// Server is a running fake instance. Its URL field (srv.URL) is the
// instance URL to pass to sdelements.WithBaseURL. Close it when done; see
// FailNext and FailRandomly for faults and Requests for what it received.
type Server struct {
	*fakeserver.Server
	config

	mu       sync.Mutex
	cache    []cached    // recent filtered id lists, newest last
	appended []time.Time // activity n+1+k is dated appended[k]
}

// config holds what the options set.
type config struct {
	token           string
	n               int64
	epoch           time.Time
	bare            bool
	htmlAuth        bool
	defaultPageSize int
	maxPageSize     int
	linkBase        string
	loc             *time.Location
	prefix          []string
	tls             bool
	logLimit        int
}

type cached struct {
	key string
	ids []int64
}

// Option configures NewServer.
type Option func(*config)

// WithActivities sets how many activities exist (ids 1..n). n below 0 is
// taken as 0.
func WithActivities(n int) Option {
	return func(c *config) { c.n = int64(max(n, 0)) }
}

// WithToken sets the token the fake accepts instead of Token.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithEpoch sets the date of activity 1 (kept to the microsecond, in UTC)
// instead of DefaultEpoch.
func WithEpoch(t time.Time) Option {
	return func(c *config) { c.epoch = t.UTC().Truncate(time.Microsecond) }
}

// WithBareResults makes list answers the bare {"results": [...]} form some
// instances and the documentation's example use: the requested page's items
// with no count, next or previous.
func WithBareResults() Option { return func(c *config) { c.bare = true } }

// WithHTMLUnauthorized makes authentication failures answer an HTML page
// (text/html) instead of DRF's JSON, as some instances' front ends do.
func WithHTMLUnauthorized() Option { return func(c *config) { c.htmlAuth = true } }

// WithPageSizes sets the page size used when page_size is absent or invalid,
// and a cap applied to larger values (DRF's PAGE_SIZE and max_page_size), for
// instances configured with one. Values below 1 keep the defaults (no cap).
func WithPageSizes(defaultSize, maxSize int) Option {
	return func(c *config) {
		if defaultSize > 0 {
			c.defaultPageSize = defaultSize
		}
		if maxSize > 0 {
			c.maxPageSize = maxSize
		}
	}
}

// WithLinkBase makes next and previous links start with base (scheme and
// host, e.g. "https://elsewhere.example") instead of the request's own
// origin: a misconfigured proxy, or a hostile server, to test that clients
// do not follow them.
func WithLinkBase(base string) Option {
	return func(c *config) { c.linkBase = strings.TrimRight(base, "/") }
}

// WithServerLocation sets the time zone in which the fake reads date_from
// and date_to values that carry no zone, as the real API reads them in the
// server's local time. The default is a fixed UTC-5, so a client that
// forgets the "Z" gets visibly wrong results.
func WithServerLocation(loc *time.Location) Option {
	return func(c *config) {
		if loc != nil {
			c.loc = loc
		}
	}
}

// WithPathPrefix serves the API below a path prefix ("/sde" serves
// /sde/api/v2/activities/), like an instance behind a reverse proxy.
func WithPathPrefix(prefix string) Option {
	return func(c *config) {
		for _, p := range strings.Split(strings.Trim(prefix, "/"), "/") {
			if p != "" {
				c.prefix = append(c.prefix, p)
			}
		}
	}
}

// NewServer starts a fake instance on a loopback port.
func NewServer(opts ...Option) *Server {
	s := &Server{config: config{
		token:           Token,
		n:               DefaultActivities,
		epoch:           DefaultEpoch,
		defaultPageSize: DefaultPageSize,
		loc:             time.FixedZone("UTC-5", -5*3600),
	}}
	for _, o := range opts {
		if o != nil {
			o(&s.config)
		}
	}
	s.Server = fakeserver.New(fakeserver.Config{
		Handler: http.HandlerFunc(s.serve),
		// The fake follows ../testdata/sdelements-activities.openapi.yaml.
		Contract: "sdelements",
		Errors: func(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
			writeDetail(w, status, message)
		},
		TLS:      s.tls,
		LogLimit: s.logLimit,
	})
	return s
}

// Len returns the number of activities, appended ones included.
func (s *Server) Len() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n + int64(len(s.appended))
}

// AppendActivities records one new activity per date given, as the
// instance would record them now: they get the next ids (Len()+1, ...), in
// the order given, whatever their dates, so an activity dated earlier than
// ones already there (a late arrival) has a higher id than all of them. Lists
// still order by date, newest first, so a late one shows up among older
// activities. Dates are kept to the microsecond, in UTC; zero dates are
// skipped. It returns the new ids and is safe to call while clients read.
func (s *Server) AppendActivities(dates ...time.Time) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, d := range dates {
		if d.IsZero() {
			continue
		}
		s.appended = append(s.appended, d.UTC().Truncate(time.Microsecond))
		ids = append(ids, s.n+int64(len(s.appended)))
	}
	return ids
}

// Activity returns activity id as the fake serves it, false when there is
// no such activity.
func (s *Server) Activity(id int64) (Activity, bool) {
	if id < 1 || id > s.Len() {
		return Activity{}, false
	}
	return s.build(id), true
}

// Date returns the date of activity id (defined for any id, useful to pick
// DateFrom and DateTo values in tests; an appended one's own date).
func (s *Server) Date(id int64) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id > s.n && id <= s.n+int64(len(s.appended)) {
		return s.appended[id-s.n-1]
	}
	return s.dateOf(id)
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	fakeserver.WriteJSON(w, status, map[string]string{"detail": detail})
}
