package analyticstest

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// The fake's device and app data. Everything is computed from the ids and
// dates on each request, so tests can compute the values they expect.

// DeviceID and SecondDeviceID are devices of ClientID.
const (
	DeviceID       = "d3b07384-d9a0-4c1f-8e2b-6a5f0c9e7d11"
	SecondDeviceID = "d3b07384-d9a0-4c1f-8e2b-6a5f0c9e7d12"
)

// DefaultApps is the number of apps in ClientID's catalogue unless WithApps
// says otherwise.
const DefaultApps = 120

// AppID is the first app of ClientID's catalogue, GeneratedAppID(0).
const AppID = appPrefix + "000000000001"

const appPrefix = "a0000000-0000-4000-a000-"

// GeneratedAppID returns the id of the i-th app (from 0) of ClientID's
// catalogue: "a0000000-0000-4000-a000-" and i+1 as 12 hex digits.
func GeneratedAppID(i int) string { return fmt.Sprintf("%s%012x", appPrefix, i+1) }

// appIndex returns i for GeneratedAppID(i) (any case), or -1.
func appIndex(id string) int {
	id = strings.ToLower(id)
	if len(id) != len(appPrefix)+12 || !strings.HasPrefix(id, appPrefix) {
		return -1
	}
	n, err := strconv.ParseUint(id[len(appPrefix):], 16, 48)
	if err != nil || n < 1 {
		return -1
	}
	return int(n - 1)
}

// The catalogue's categories, vendors and departments: CategoryID(i) for i
// below NumCategories, and so on.
const (
	NumCategories  = 6
	NumVendors     = 5
	NumDepartments = 4
)

var (
	categoryNames = [NumCategories]string{"Communication", "Productivity", "Development", "Design", "Sales", "AI"}
	vendorNames   = [NumVendors]string{"Northwind", "Contoso", "Fabrikam", "Initech", "Umbrella"}
	appWords      = []string{"Chat", "Docs", "Mail", "Sheets", "Canvas", "Code", "Tickets", "Video", "Notes", "Drive", "CRM", "Assistant"}
)

// CategoryID returns the id of the i-th category.
func CategoryID(i int) string { return fmt.Sprintf("c0000000-0000-4000-a000-%012x", i+1) }

// VendorID returns the id of the i-th vendor.
func VendorID(i int) string { return fmt.Sprintf("b0000000-0000-4000-a000-%012x", i+1) }

// DepartmentID returns the id of the i-th department.
func DepartmentID(i int) string { return fmt.Sprintf("e0000000-0000-4000-a000-%012x", i+1) }

// AppInfo describes app i of the catalogue.
type AppInfo struct {
	// ID is GeneratedAppID(i); Name its canonical name ("Chat 1").
	ID, Name string
	// Category is the index of its category (CategoryID(Category)).
	Category int
	// Vendor is the index of its vendor (VendorID(Vendor)).
	Vendor int
	// Approved and Favorite are its is_approved and is_favorite flags.
	Approved, Favorite bool
	// FirstSeen is its first day of use, midnight UTC.
	FirstSeen time.Time
	// LastSeen is its last day of use; zero while it is in use.
	LastSeen time.Time
	// Department holds the indexes of the two departments that use it
	// (DepartmentID; they may be equal).
	Department [2]int
}

// App returns app i of the catalogue: name "<word> <n>" (Chat 1, Docs 1, ...
// Assistant 1, Chat 2, ...), category i%6, vendor i%5, approved unless
// i%3 == 0, favourite when i%7 == 0, used from a date in 2025 or early
// 2026, and dropped (no use after LastSeen) for about one app in eight.
func App(i int) AppInfo {
	h := hash("app", GeneratedAppID(i))
	first := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h%480))
	a := AppInfo{
		ID: GeneratedAppID(i), Name: fmt.Sprintf("%s %d", appWords[i%len(appWords)], i/len(appWords)+1),
		Category: i % NumCategories, Vendor: i % NumVendors, Approved: i%3 != 0, Favorite: i%7 == 0,
		FirstSeen: first, Department: [2]int{int(h>>12) % NumDepartments, int(h>>20) % NumDepartments},
	}
	if (h>>8)%8 == 0 {
		a.LastSeen = first.AddDate(0, 0, 60+int((h>>16)%200))
	}
	return a
}

// inUse reports whether the app is used on day.
func (a AppInfo) inUse(day time.Time) bool {
	return !day.Before(a.FirstSeen) && (a.LastSeen.IsZero() || !day.After(a.LastSeen))
}

func hash(parts ...string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.ToLower(strings.Join(parts, "/"))))
	return h.Sum64()
}

func civil(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DeviceValue is the value the fake reports for a device's metric on one
// calendar date (the date of day as given): for "activity-count" 0 on
// weekends and about one weekday in ten, else 100 to 499 events; for
// "user-count" 0 when there is no activity, else 1 to 4 users; 0 for other
// metrics.
func DeviceValue(clientID, deviceID, metric string, day time.Time) float64 {
	date := civil(day)
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return 0
	}
	h := hash(clientID, "device", deviceID, date.Format(dateLayout))
	if h%10 == 0 {
		return 0
	}
	switch metric {
	case "activity-count":
		return float64(100 + (h/10)%400)
	case "user-count":
		return float64(1 + (h/4000)%4)
	}
	return 0
}

// AppValue is the value the fake reports for an app's metric on one calendar
// date: 0 on weekends, on about one weekday in ten, and outside the app's
// use (App(i).FirstSeen..LastSeen); else "user-count" 1 to 40 users,
// "session-count" 1 to 4 sessions per user, and "active-time" 1 to 60
// minutes per session in MILLISECONDS. Unknown apps and metrics give 0.
func AppValue(clientID, appID, metric string, day time.Time) float64 {
	users, sessions, ms := appDay(clientID, appID, civil(day))
	switch metric {
	case "user-count":
		return float64(users)
	case "session-count":
		return float64(sessions)
	case "active-time":
		return float64(ms)
	}
	return 0
}

func appDay(clientID, appID string, date time.Time) (users, sessions, ms int64) {
	i := appIndex(appID)
	if i < 0 {
		return 0, 0, 0
	}
	return App(i).day(clientID, date)
}

// day returns the app's figures on date (midnight UTC) for clientID.
func (a AppInfo) day(clientID string, date time.Time) (users, sessions, ms int64) {
	if !a.inUse(date) {
		return 0, 0, 0
	}
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return 0, 0, 0
	}
	h := hash(clientID, "app", a.ID, date.Format(dateLayout))
	if h%10 == 0 {
		return 0, 0, 0
	}
	users = 1 + int64((h/10)%40)
	sessions = users * (1 + int64((h/400)%4))
	ms = sessions * 60_000 * (1 + int64((h/1600)%60))
	return users, sessions, ms
}
