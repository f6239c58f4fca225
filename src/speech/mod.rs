//! Spoken forms of text for the loudspeaker output and `loa speak`.
