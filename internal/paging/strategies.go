package paging

import (
	"fmt"
	"strconv"
)

// The three paging strategies reduce to how a provider computes the next
// token of a page. These helpers hold the end-of-walk rules in one place.

// PageNumber parses a page-number token: "" is page 1.
func PageNumber(token string) (int, error) {
	if token == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(token)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w %q: want a page number of 1 or more", ErrPageToken, token)
	}
	return n, nil
}

// NextPageNumber is the token after page for page-number APIs: "" when the
// page came back empty or short, or when page*pageSize reaches total
// (total < 0 means the API did not say).
func NextPageNumber(page, got, pageSize, total int) string {
	if got == 0 || got < pageSize {
		return ""
	}
	if total >= 0 && page*pageSize >= total {
		return ""
	}
	return strconv.Itoa(page + 1)
}

// NextCursor is the token after a page of a body-cursor API: the cursor the
// answer returned, or "" when the page was empty (the API has nothing more
// yet and returns the same cursor).
func NextCursor(got int, cursor string) string {
	if got == 0 {
		return ""
	}
	return cursor
}
