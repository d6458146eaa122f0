/* idcard.h: mainland resident ID numbers (GB 11643): validation, birth date and gender, masking */
#ifndef BASE_IDCARD_H
#define BASE_IDCARD_H

#include <stdint.h>

#define IDCARD_LEN 18

enum idcard_rc {
	IDCARD_OK = 0,
	IDCARD_LENGTH = -1, /* not 17 digits and a digit or X */
	IDCARD_REGION = -2, /* the first two digits name no province */
	IDCARD_DATE = -3, /* the birth date does not exist or lies in the future */
	IDCARD_CHECK = -4, /* the check character is wrong */
};

struct idcard {
	char number[IDCARD_LEN + 1]; /* normalised: upper-case X */
	int year, month, day;
	char gender; /* 'M' (odd sequence digit) or 'F' */
};

/* Checks s (a lower-case x is accepted) against today's date (Unix seconds). */
int idcard_parse(const char *s, int64_t today, struct idcard *out);
/* A message in Chinese for a result of idcard_parse. */
const char *idcard_message(int rc);
/* "4401**********1234": the first four and the last four characters of an 18-character number. */
void idcard_mask(const char *number, char out[IDCARD_LEN + 1]);

#endif
