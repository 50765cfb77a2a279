"""Tiny missions and transfers built in code, shared by the tests."""

from __future__ import annotations

MISSION_HEADER = "acronym,name,kind,start,end,host_iso3,hq_city,hq_lat,hq_lon,region,source"
TRANSFER_HEADER = (
    "event_id,source_mission,target_mission,start,end,asset,quantity,surge,description,sources,confidence,"
    "case_type,date_precision,quantity_approx,source_url"
)
#: The header of an analyst's file made before the columns case_type ... source_url existed.
OLD_TRANSFER_HEADER = (
    "event_id,source_mission,target_mission,start,end,asset,quantity,surge,description,sources,confidence"
)

# Two neighbouring square countries on the equator and one across the sea.
GOOD_MISSIONS = [
    "UNAAA,UN Mission in Aland,peacekeeping,2000-01-01,2010-12-31,AAA,Acity,5.0,5.0,Africa,S/RES/1 (2000)",
    "UNBBB,UN Mission in Bland,peacekeeping,2005-06-01,,BBB,Bcity,5.0,15.0,Africa,S/RES/2 (2005)",
    "UNCCC,UN Office in Cland,political,1990-01-01,,CCC,Ccity,-25.0,45.0,Africa,S/RES/3 (1990)",
]
GOOD_TRANSFERS = [
    "2006-bbb-startup,UNAAA,UNBBB,2006-01-01,2006-06-30,troops,120,start-up,Troops lent.,S/RES/2 (2005),documented,"
    "loan,day,false,https://example.org/s-res-2",
    "2007-bbb-election,UNCCC,UNBBB,2007-03-01,,helicopters,,election,Helicopters lent.,S/2007/1,partial,"
    "loan,month,false,",
]
#: The same rows without the four newer columns (an older upload).
OLD_TRANSFERS = [",".join(row.split(",")[:11]) for row in GOOD_TRANSFERS]


def csv_bytes(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
