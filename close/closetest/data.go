package closetest

import (
	"fmt"
	"hash/fnv"
	"math"
	"time"
)

// Metric is one entry of the fake's metrics catalogue.
type Metric struct {
	// Key is the metric key ("calls.outbound.all.count").
	Key string
	// Label and Description are served with the catalogue.
	Label, Description string
	// Unit is "count", "seconds" or "cents".
	Unit string

	// computation
	base  string // for sums: the count metric this one multiplies
	spanN int    // for counts: weekday values in [0, spanN)
	per   [2]int // for sums: each counted event is worth per[0] + h%per[1]
	avgOf [2]string
}

// Average metrics (avg_*) are sum/count over the cell and null when the count
// is zero.
var catalogue = []Metric{
	{Key: "calls.outbound.all.count", Label: "Outbound calls", Description: "Outbound calls made", Unit: "count", spanN: 9},
	{Key: "calls.inbound.all.count", Label: "Inbound calls", Description: "Inbound calls received", Unit: "count", spanN: 5},
	{Key: "calls.outbound.all.sum_duration", Label: "Outbound call duration", Description: "Total outbound call time in seconds", Unit: "seconds", base: "calls.outbound.all.count", per: [2]int{45, 300}},
	{Key: "calls.inbound.all.sum_duration", Label: "Inbound call duration", Description: "Total inbound call time in seconds", Unit: "seconds", base: "calls.inbound.all.count", per: [2]int{30, 240}},
	{Key: "calls.outbound.all.avg_duration", Label: "Average outbound call duration", Description: "Average outbound call time in seconds; null without calls", Unit: "seconds", avgOf: [2]string{"calls.outbound.all.sum_duration", "calls.outbound.all.count"}},
	{Key: "emails.sent.all.count", Label: "Emails sent", Description: "Emails sent", Unit: "count", spanN: 15},
	{Key: "emails.received.all.count", Label: "Emails received", Description: "Emails received", Unit: "count", spanN: 12},
	{Key: "emails.opened.all.count", Label: "Emails opened", Description: "Sent emails opened by the recipient", Unit: "count", spanN: 7},
	{Key: "sms.sent.all.count", Label: "SMS sent", Description: "Text messages sent", Unit: "count", spanN: 4},
	{Key: "sms.received.all.count", Label: "SMS received", Description: "Text messages received", Unit: "count", spanN: 3},
	{Key: "meetings.all.count", Label: "Meetings", Description: "Meetings held", Unit: "count", spanN: 3},
	{Key: "notes.created.all.count", Label: "Notes", Description: "Notes created", Unit: "count", spanN: 6},
	{Key: "leads.created.all.count", Label: "Leads created", Description: "Leads created", Unit: "count", spanN: 4},
	{Key: "opportunities.created.all.count", Label: "Opportunities created", Description: "Opportunities created", Unit: "count", spanN: 3},
	{Key: "opportunities.won.all.count", Label: "Opportunities won", Description: "Opportunities won", Unit: "count", spanN: 2},
	{Key: "opportunities.won.all.sum_value", Label: "Won value", Description: "Value of won opportunities in cents", Unit: "cents", base: "opportunities.won.all.count", per: [2]int{50_000, 2_000_000}},
	{Key: "opportunities.won.all.avg_value", Label: "Average won value", Description: "Average value of won opportunities in cents; null without wins", Unit: "cents", avgOf: [2]string{"opportunities.won.all.sum_value", "opportunities.won.all.count"}},
	{Key: "tasks.completed.all.count", Label: "Tasks completed", Description: "Tasks completed", Unit: "count", spanN: 8},
}

var metricIndex = func() map[string]*Metric {
	m := make(map[string]*Metric, len(catalogue))
	for i := range catalogue {
		m[catalogue[i].Key] = &catalogue[i]
	}
	return m
}()

// Catalogue returns the fake's metrics catalogue, in the order it is served.
func Catalogue() []Metric { return append([]Metric(nil), catalogue...) }

// User is one synthetic Close user.
type User struct {
	ID        string
	FirstName string
	LastName  string
	Email     string
}

// Display is the user's display name, as sent in lookup.user.
func (u User) Display() string { return u.FirstName + " " + u.LastName }

var firstNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Niklaus"}
var lastNames = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman", "Wirth"}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// userAt builds user i (0-based) from its index alone.
func userAt(i int) User {
	h := mix(uint64(i) + 0x5eed)
	id := make([]byte, 0, 5+20)
	id = append(id, "user_"...)
	for k := 0; k < 20; k++ {
		h = mix(h + uint64(k))
		id = append(id, idAlphabet[h%uint64(len(idAlphabet))])
	}
	f := firstNames[i%len(firstNames)]
	l := lastNames[(i/len(firstNames)+i*5)%len(lastNames)]
	if i >= len(firstNames)*len(lastNames) {
		l = fmt.Sprintf("%s %d", l, i)
	}
	return User{ID: string(id), FirstName: f, LastName: l,
		Email: fmt.Sprintf("%s.%s%d@example.com", lower(f), lower(l[:1]), i+1)}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// mix is splitmix64's finalizer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func keyHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// dayNum is the number of whole UTC days since the Unix epoch.
func dayNum(t time.Time) int64 { return int64(math.Floor(float64(t.Unix()) / 86400)) }

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// cell is the raw value of a count or sum metric for one user on one day.
func cell(m *Metric, user int, day int64, saved bool) float64 {
	if m.spanN > 0 {
		h := cellHash(m.Key, user, day, 0)
		var n uint64
		if wd := dayTime(day).Weekday(); wd == time.Saturday || wd == time.Sunday {
			if h%4 == 0 {
				n = 1
			}
		} else {
			n = (h >> 8) % uint64(m.spanN)
		}
		if saved {
			n /= 2
		}
		return float64(n)
	}
	base := metricIndex[m.base]
	n := int(cell(base, user, day, saved))
	total := 0
	for k := 0; k < n; k++ {
		h := cellHash(m.Key, user, day, k+1)
		total += m.per[0] + int(h%uint64(m.per[1]))
	}
	return float64(total)
}

// cellHash mixes a metric, user, day and event number into 64 random bits.
func cellHash(key string, user int, day int64, k int) uint64 {
	return mix(mix(mix(mix(keyHash(key))^uint64(user))^uint64(day)) ^ uint64(k))
}
