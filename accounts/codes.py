"""The one generator of random codes people read, type or say aloud."""

import secrets

# Upper-case letters and digits without the look-alikes 0/O and 1/I/L: service
# card codes are read out over the phone and pickup codes typed from a
# phone's screen, and L is mistaken for 1 in handwriting and many fonts. The
# stricter of the two alphabets this project once had, so no code loses a
# character that helped; 31 symbols still give 31**6 ≈ 8.9e8 six-character codes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length):
    """A code of `length` symbols from `ALPHABET`, from the operating system's CSPRNG."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
