/* bcryptprimitives.dll for wine 8: Rust's std (1.78 and later) gets its random bytes from
 * ProcessPrng, which wine 8.0 does not provide; a Rust .exe then exits with status 53 before
 * main. This stand-in exports ProcessPrng on top of RtlGenRandom (advapi32's
 * SystemFunction036). For the wine prefix of ci/cross-windows.sh only; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG) len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
