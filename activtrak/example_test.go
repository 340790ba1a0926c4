package activtrak_test

import (
	"context"
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

// exampleClient starts a fake and a client for it. Real code passes
// activtrak.WithAPIKey (or sets ACTIVTRAK_API_KEY) and, outside the US,
// activtrak.WithRegion.
func exampleClient(opts ...activtraktest.Option) (*activtrak.Client, *activtraktest.Server) {
	srv := activtraktest.NewServer(opts...)
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	if err != nil {
		log.Fatal(err)
	}
	return c, srv
}

func ExampleClient_ListUserWorkingHours() {
	c, srv := exampleClient()
	defer srv.Close()

	rows := c.ListUserWorkingHours(context.Background(), &activtrak.WorkingHoursParams{
		From:    time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		To:      time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		GroupID: 301,
	})
	for row, err := range rows.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s first %s active %.0fs (productive %.0fs)\n", row.Date.Format(time.DateOnly),
			strconv.Quote(row.User), row.FirstActivity.Format(time.TimeOnly), row.ActiveTime.Total, row.ActiveTime.Productive)
	}
	// Output:
	// 2024-06-03 "user01" first 08:00:00 active 16800s (productive 14400s)
	// 2024-06-03 "user03" first 08:34:34 active 19554s (productive 16474s)
	// 2024-06-03 "user05" first 08:08:21 active 22308s (productive 18548s)
}

func ExampleClient_ListComputerWorkingHours() {
	c, srv := exampleClient(activtraktest.WithDays(3))
	defer srv.Close()

	// Pages of two rows; NextPageToken is the page number to resume from.
	pager := c.ListComputerWorkingHours(context.Background(), &activtrak.WorkingHoursParams{
		From:       time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		To:         time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC),
		ComputerID: 2002,
		PageSize:   2,
	})
	for page, err := range pager.Pages() {
		if err != nil {
			log.Fatal(err)
		}
		for _, row := range page.Items {
			fmt.Printf("%s user %d on %s: %.0fs\n", row.Date.Format(time.DateOnly), row.UserID, strconv.Quote(row.Computer), row.TotalTime)
		}
		fmt.Printf("next page token %q\n", page.NextPageToken)
	}
	// Output:
	// 2024-06-03 user 1002 on "PC-002": 19650s
	// 2024-06-04 user 1002 on "PC-002": 22440s
	// next page token "2"
	// 2024-06-05 user 1002 on "PC-002": 25230s
	// next page token ""
}

func ExampleClient_ListActivityLog() {
	c, srv := exampleClient(activtraktest.WithDays(1), activtraktest.WithRecordsPerDay(4))
	defer srv.Close()

	params := &activtrak.ActivityLogParams{StartDate: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)}
	var checkpoint string
	for page, err := range c.ListActivityLog(context.Background(), params).Pages() {
		if err != nil {
			log.Fatal(err)
		}
		for _, e := range page.Items {
			fmt.Println(e.LogID, e.Time.Format("15:04:05.000"), e.User, e.Executable, e.Duration)
		}
		checkpoint = page.NextPageToken // store this to resume later
	}

	// Later: a record for 3 June arrives late; resuming from the checkpoint
	// returns it, and only it.
	late, _ := srv.Record(1)
	late.LogID, late.DateText = 0, ""
	srv.Append(late)
	params.PageToken = checkpoint
	news, err := c.ListActivityLog(context.Background(), params).Collect()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new since checkpoint:", len(news), "record, logId", news[0].LogID)
	// Output:
	// 1 08:00:00.000 user01 chrome.exe 15
	// 2 10:15:00.037 user02 code.exe 22
	// 3 12:30:00.074 user03 outlook.exe 29
	// 4 14:45:00.111 user04 chrome.exe 36
	// new since checkpoint: 1 record, logId 5
}

func ExampleClient_FollowActivityLog() {
	c, srv := exampleClient(activtraktest.WithDays(1), activtraktest.WithRecordsPerDay(3))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var checkpoint string // in real code: loaded from storage, "" the first time
	params := &activtrak.ActivityLogParams{StartDate: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), PageToken: checkpoint}
	seen := 0
	for page, err := range c.FollowActivityLog(ctx, params, 10*time.Millisecond) {
		if err != nil {
			log.Fatal(err)
		}
		var ids []string
		for _, e := range page.Items {
			ids = append(ids, fmt.Sprint(e.LogID))
		}
		fmt.Println("records", strings.Join(ids, ","))
		checkpoint = page.NextPageToken // save it: a restart resumes here
		seen += len(page.Items)
		switch seen {
		case 3: // caught up; records arrive while following
			rec, _ := srv.Record(0)
			rec.LogID, rec.DateText = 0, ""
			srv.Append(rec, rec)
		case 5:
			cancel() // stop following; the loop ends without an error
		}
	}
	fmt.Println("stopped:", ctx.Err(), "checkpoint saved:", checkpoint != "")
	// Output:
	// records 1,2,3
	// records 4,5
	// stopped: context canceled checkpoint saved: true
}

// Continue the activity log every night: the checkpoint holds the API's
// cursor, so a record that arrives late for an earlier day still comes back,
// once.
func ExampleClient_ListActivityLog_checkpoint() {
	c, srv := exampleClient(activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(30))
	defer srv.Close()
	checkpoint := "" // stored between runs
	run := func() {
		n := 0
		params := &activtrak.ActivityLogParams{StartDate: srv.StartDate(), Checkpoint: checkpoint}
		for page, err := range c.ListActivityLog(context.Background(), params).Pages() {
			if err != nil {
				fmt.Println(err)
				return
			}
			for _, e := range page.Items {
				if n++; len(page.Items) == 1 {
					fmt.Println("late:", e.LogID, e.Time.Format("2006-01-02"), e.User)
				}
			}
			checkpoint = page.Checkpoint // after the page's records are stored
		}
		fmt.Println("records:", n)
	}
	run()
	srv.Append(activtraktest.LogRecord{Date: srv.StartDate().Add(9 * time.Hour), UserID: 1001, User: "user01"})
	run()
	run()
	// Output:
	// records: 60
	// late: 61 2024-06-03 user01
	// records: 1
	// records: 0
}

// Working hours as a day-window feed: a walk reads only days that are final
// (DefaultWorkingHoursLookback after they end), and the next run continues
// from the first day not yet delivered.
func ExampleClient_ListUserWorkingHours_checkpoint() {
	c, srv := exampleClient(activtraktest.WithDays(3), activtraktest.WithUsers(2))
	defer srv.Close()
	checkpoint := ""
	for night := 1; night <= 2; night++ {
		params := &activtrak.WorkingHoursParams{From: srv.StartDate(), To: time.Now(), Checkpoint: checkpoint}
		n := 0
		for page, err := range c.ListUserWorkingHours(context.Background(), params).Pages() {
			if err != nil {
				fmt.Println(err)
				return
			}
			n += len(page.Items)
			checkpoint = page.Checkpoint
		}
		fmt.Printf("night %d: %d rows\n", night, n)
	}
	// Output:
	// night 1: 6 rows
	// night 2: 0 rows
}

// A tenant still on the early-access contract: the key as a Bearer token and
// the filters as userId/computerId. Records decode the same way: Time comes
// from the early-access "date".
func ExampleWithEarlyAccess() {
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess())
	defer srv.Close()
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey),
		activtrak.WithEarlyAccess())
	if err != nil {
		log.Fatal(err)
	}
	params := &activtrak.ActivityLogParams{StartDate: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		EndDate: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), UserID: 1002, PageSize: 2}
	for p, err := range c.ListActivityLog(context.Background(), params).Pages() {
		if err != nil {
			log.Fatal(err)
		}
		for _, e := range p.Items {
			fmt.Println(e.LogID, e.Time.Format(time.DateTime), e.User)
		}
		break
	}
	r := srv.Requests()[0]
	fmt.Println(r.Header.Get("Authorization") != "", r.RawQuery)
	// Output:
	// 2 2024-06-03 08:22:30 user02
	// 7 2024-06-03 10:15:00 user02
	// true endDate=2024-06-03&pageSize=2&startDate=2024-06-03&userId=1002
}
