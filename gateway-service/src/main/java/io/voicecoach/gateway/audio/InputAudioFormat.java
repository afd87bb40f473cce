package io.voicecoach.gateway.audio;

/**
 * The encoding a client appends audio in ({@code session.audio.input.format}); decoded to PCM16 at {@link #rate()}.
 *
 * @param type {@link #PCM} (16-bit little-endian mono), {@link #PCMU} (G.711 mu-law) or {@link #PCMA} (G.711 A-law)
 * @param rate samples per second; G.711 is always 8000
 */
public record InputAudioFormat(String type, int rate) {

    public static final String PCM = "audio/pcm";
    public static final String PCMU = "audio/pcmu";
    public static final String PCMA = "audio/pcma";
    public static final int TELEPHONY_RATE = 8000;
    public static final java.util.Set<Integer> PCM_RATES = java.util.Set.of(8000, 16000, 24000, 48000);

    public static final InputAudioFormat DEFAULT = new InputAudioFormat(PCM, 24000);
    public static final InputAudioFormat MULAW_8K = new InputAudioFormat(PCMU, TELEPHONY_RATE);

    public InputAudioFormat {
        if (!PCM.equals(type) && !PCMU.equals(type) && !PCMA.equals(type)) {
            throw new IllegalArgumentException("unsupported audio format " + type);
        }
        if (!PCM.equals(type) && rate != TELEPHONY_RATE) {
            throw new IllegalArgumentException(type + " is 8000 Hz only");
        }
        if (PCM.equals(type) && !PCM_RATES.contains(rate)) {
            throw new IllegalArgumentException("audio/pcm rate must be one of " + PCM_RATES);
        }
    }

    /** The beta API's {@code input_audio_format} names: {@code pcm16}, {@code g711_ulaw}, {@code g711_alaw}. */
    public static InputAudioFormat fromBetaName(String name, int pcmRate) {
        return switch (name) {
            case "pcm16" -> new InputAudioFormat(PCM, pcmRate);
            case "g711_ulaw" -> new InputAudioFormat(PCMU, TELEPHONY_RATE);
            case "g711_alaw" -> new InputAudioFormat(PCMA, TELEPHONY_RATE);
            default -> throw new IllegalArgumentException("unsupported input_audio_format " + name);
        };
    }

    /** Milliseconds of audio in {@code encodedBytes} of this format (rounded up). */
    public long millisOf(long encodedBytes) {
        long bytesPerSecond = PCM.equals(type) ? 2L * rate : rate;
        return (encodedBytes * 1000 + bytesPerSecond - 1) / bytesPerSecond;
    }

    /** Decodes encoded bytes to PCM16 samples at {@link #rate()}; PCM needs an even byte count. */
    public short[] decode(byte[] encoded) {
        return switch (type) {
            case PCMU -> G711.decodeUlaw(encoded);
            case PCMA -> G711.decodeAlaw(encoded);
            default -> {
                if (encoded.length % 2 != 0) {
                    throw new IllegalArgumentException("audio/pcm needs whole 16-bit samples (an even byte count)");
                }
                var samples = new short[encoded.length / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = (short) ((encoded[2 * i] & 0xFF) | (encoded[2 * i + 1] << 8));
                }
                yield samples;
            }
        };
    }
}
