package analyticstest

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Credentials and ids the fake knows. ClientID and UserID are the ids of the
// API documentation's example request.
const (
	// Token is the bearer token the fake accepts (see WithToken).
	Token = "analytics-test-token"
	// ClientID is a client organisation the token may read.
	ClientID = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	// UserID is a user of ClientID.
	UserID = "a1d97031-04e2-4907-a249-093f7436207b"
	// SecondUserID is another user of ClientID, with different values.
	SecondUserID = "5b0c8a1e-3f4d-4c6b-9e2a-7d1f0c3b8a65"
	// ForbiddenClientID is a client organisation that exists but that the
	// token may not read: every request for it is answered 403.
	ForbiddenClientID = "0f3e9b52-6c1d-4a7e-8b90-2d4c6e8f1a3b"
)

// MaxRangeDays is the most dates, both ends included, the fake serves in one
// request; a longer range is answered 400 "Date range cannot exceed 90 days".
const MaxRangeDays = 90

// Label is the label the fake reports for the activity-count metric.
const Label = "Total Activity"

// BasePath is the path prefix of the API's base URL
// (https://api.example.com/v2). The fake serves the API both under it and at
// the root, so WithBaseURL(srv.URL) and WithBaseURL(srv.URL) both work.
const BasePath = "/v2"

// Option configures NewServer.
type Option func(*config)

type config struct {
	tokens        []string
	users         map[string]map[string]bool // client -> user -> known
	generated     int
	calendarDates bool
	apps          int
	tls           bool
	logLimit      int
}

// WithToken makes the fake accept token instead of Token. Given several
// times, every token given is accepted.
func WithToken(token string) Option {
	return func(c *config) { c.tokens = append(c.tokens, token) }
}

// WithUser makes clientID a known client organisation (readable with the
// token) and userID one of its users.
func WithUser(clientID, userID string) Option {
	return func(c *config) {
		cl, us := strings.ToLower(clientID), strings.ToLower(userID)
		if c.users[cl] == nil {
			c.users[cl] = map[string]bool{}
		}
		c.users[cl][us] = true
	}
}

// WithUsers adds n generated users to ClientID, with the ids
// GeneratedUserID(0) to GeneratedUserID(n-1). They take no memory: their
// data is computed on each request.
func WithUsers(n int) Option { return func(c *config) { c.generated = n } }

// WithApps sets the number of apps in ClientID's catalogue (DefaultApps
// unless given): GeneratedAppID(0) to GeneratedAppID(n-1), described by
// App(i). They take no memory: their data is computed on each request.
func WithApps(n int) Option { return func(c *config) { c.apps = max(n, 0) } }

// WithPeriodStartDates dates the data points of weekly, monthly and quarterly
// series at their period's calendar start (a Monday, the first of a month or
// quarter), even when that is before start_date. By default a point is dated
// at the first date of its period inside the range. The API documentation
// does not say which it does; a client should work with both.
func WithPeriodStartDates() Option { return func(c *config) { c.calendarDates = true } }

// Server is a fake analytics API on a loopback port. Its URL field (srv.URL)
// is the base URL to pass to analytics.WithBaseURL. Close it when done; see
// FailNext and FailRandomly for faults and Requests for what it received.
type Server struct {
	*fakeserver.Server

	cfg   config
	reqID atomic.Int64
}

// NewServer starts a fake that serves the user, device and app activity
// series and the app utilization list, summary and rankings for ClientID
// (with UserID and SecondUserID, DeviceID and SecondDeviceID, DefaultApps
// apps, and whatever the options add), checks the bearer token, and answers
// errors in the API's envelope {"error": {"code", "message", "details"}}.
// See the package documentation for its data and rules.
func NewServer(opts ...Option) *Server {
	s := &Server{cfg: config{users: map[string]map[string]bool{
		ClientID: {UserID: true, SecondUserID: true},
	}, apps: DefaultApps}}
	for _, o := range opts {
		if o != nil {
			o(&s.cfg)
		}
	}
	if len(s.cfg.tokens) == 0 {
		s.cfg.tokens = []string{Token}
	}
	s.Server = fakeserver.New(fakeserver.Config{
		Handler:  http.HandlerFunc(s.serve),
		Contract: "analytics",
		Errors:   s.writeFault,
		Auth:     fakeserver.CheckBearer(s.validToken),
		TLS:      s.cfg.tls,
		LogLimit: s.cfg.logLimit,
	})
	return s
}

// BaseURL returns the fake's URL with the API's base path ("/v2").
//
// Deprecated: srv.URL is a base URL of the fake too, as with every
// activity-go fake; pass it to analytics.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + BasePath }

func (s *Server) validToken(t string) bool {
	ok := false
	for _, want := range s.cfg.tokens {
		ok = fakeserver.Equal(t, want) || ok
	}
	return ok
}

// knownClient reports whether the token may read clientID (lower case).
func (s *Server) knownClient(clientID string) bool { return s.cfg.users[clientID] != nil }

// apps returns the size of clientID's app catalogue: only ClientID has apps.
func (s *Server) apps(clientID string) int {
	if clientID != ClientID {
		return 0
	}
	return s.cfg.apps
}

func (s *Server) knownUser(clientID, userID string) bool {
	if s.cfg.users[clientID][userID] {
		return true
	}
	if clientID == ClientID {
		i := generatedIndex(userID)
		return i >= 0 && i < s.cfg.generated
	}
	return false
}

// errorBody is the API's error envelope.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Details map[string]string `json:"details"`
}

func (s *Server) writeError(w http.ResponseWriter, status int, code, message string, details map[string]string) {
	if details == nil {
		details = map[string]string{}
	}
	w.Header().Set("X-Request-Id", "req-"+strconv.FormatInt(s.reqID.Add(1), 10))
	fakeserver.WriteJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: message, Details: details}})
}

// writeFault answers injected faults and failed credential checks.
func (s *Server) writeFault(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	if status == http.StatusUnauthorized {
		message = "Authentication required"
	}
	s.writeError(w, status, code, message, nil)
}
